using System.Reflection;

namespace Microsoft.ML.Autoencoders.Tests.Platform;

/// <summary>Every ML.NET internal member the package reaches by reflection is there, and a missing one fails naming itself.</summary>
public class MLNetInternalsTests
{
    [Fact]
    public void Every_internal_member_used_exists_in_this_MLNET()
    {
        Assert.Empty(MLNetInternals.Missing());
    }

    [Fact]
    public void This_MLNET_stores_an_onnx_graph_in_the_zip_layout_the_package_reads()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(Infrastructure.SyntheticData.LowRank(60, seed: 3));
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions { EncoderLayers = [6], CodeSize = 2, Epochs = 1 }).Fit(data);
        using var zipStream = new MemoryStream();
        ml.Model.Save(model, data.Schema, zipStream);
        zipStream.Position = 0;
        using var zip = new System.IO.Compression.ZipArchive(zipStream, System.IO.Compression.ZipArchiveMode.Read);
        var (entry, onnx, _) = Assert.Single(MLNetModelZip.OnnxEntries(zip));
        Assert.EndsWith(MLNetModelZip.OnnxEntryName, entry);
        Assert.NotNull(onnx);
        Assert.Null(Onnx.OnnxGraphChecksum.Problem(onnx!)); // a complete graph of ours, its checksum intact
        zipStream.Position = 0;
        var loaded = ml.Model.Load(zipStream, out _);
        Assert.Equal(1, MLNetModelZip.CountOnnxTransformers(loaded));
        (loaded as IDisposable)?.Dispose();
    }

    [Fact]
    public void A_missing_member_fails_at_first_use_naming_it_and_its_purpose()
    {
        var missing = new InternalMember<MethodInfo>("the Frobnicate method", "to frobnicate models", () => null);
        Assert.False(missing.IsAvailable);
        var error = Assert.Throws<MissingMemberException>(() => missing.Get());
        Assert.Contains("the Frobnicate method", error.Message);
        Assert.Contains("to frobnicate models", error.Message);
    }
}
