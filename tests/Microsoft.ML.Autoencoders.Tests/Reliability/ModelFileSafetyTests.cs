using System.IO.Compression;
using Microsoft.ML.Autoencoders.Export;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>What a fitted or loaded model leaves on disk, and what loading does with a model file that was tampered with.</summary>
public class ModelFileSafetyTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-model-safety-");

    public void Dispose() => _dir.Delete(recursive: true);

    private static AutoencoderTransformer FitSmall(MLContext ml, IDataView data) =>
        ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions { EncoderLayers = [8], CodeSize = 3, Epochs = 1 }).Fit(data);

    [Fact]
    public void Scoring_files_are_private_to_the_user_and_removed_on_dispose()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(100, seed: 3));
        var model = FitSmall(ml, data);
        var root = PrivateTempFolder.RootPath;
        Assert.StartsWith(Path.GetFullPath(Path.GetTempPath()), root);
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(root));
        // ML.NET's OnnxTransformer gave ONNX Runtime a copy of the graph: it is in the private folder, and ours.
        // (Other tests running at the same time add and remove their own files there: one may vanish between listing and reading.)
        var ours = Directory.GetFiles(root, "*", SearchOption.AllDirectories).Where(f => ReadIfPresent(f).AsSpan().SequenceEqual(model.GetOnnxModel())).ToArray();
        Assert.Single(ours);
        model.Dispose();
        Assert.False(File.Exists(ours[0]), "the transformer's ONNX copy outlived Dispose");
    }

    private static byte[] ReadIfPresent(string path)
    {
        try { return File.ReadAllBytes(path); }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException) { return []; }
    }

    [Fact]
    public void A_folder_given_as_model_path_is_named_as_a_folder()
    {
        var e = Assert.Throws<FileNotFoundException>(() => new MLContext().Model.LoadVerified(_dir.FullName, out _));
        Assert.Contains(_dir.FullName, e.Message);
        Assert.Contains("folder", e.Message);
    }

    [Fact]
    public void A_model_zip_whose_weights_were_altered_is_refused_naming_the_file()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(100, seed: 3));
        using var model = FitSmall(ml, data);
        var good = Path.Combine(_dir.FullName, "model.zip");
        ml.Model.Save(model, data.Schema, good);

        // Rewrite the zip properly (fresh CRCs) with one weight changed inside the ONNX entry.
        var altered = Path.Combine(_dir.FullName, "altered.zip");
        File.Copy(good, altered);
        float weight = ReadFirstWeight(model);
        RewriteOnnxEntry(altered, bytes =>
        {
            bytes[IndexOfFloat(bytes, weight) + 3] ^= 0x01; // flips the sign bit's neighbour: a different, still finite weight
            return bytes;
        });
        Assert.NotNull(new MLContext().Model.Load(altered, out _)); // ML.NET itself notices nothing
        var before = File.ReadAllBytes(altered);
        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Model.LoadVerified(altered, out _));
        Assert.Contains(altered, error.Message);
        Assert.Contains("checksum", error.Message);
        Assert.Equal(before, File.ReadAllBytes(altered));
        using var loaded = (IDisposable)new MLContext().Model.LoadVerified(good, out _);
    }

    [Fact]
    public void A_model_whose_checksum_entry_was_removed_along_with_a_weight_change_is_refused()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(100, seed: 3));
        using var model = FitSmall(ml, data);
        var good = Path.Combine(_dir.FullName, "model.zip");
        ml.Model.Save(model, data.Schema, good);
        var stripped = Path.Combine(_dir.FullName, "stripped.zip");
        File.Copy(good, stripped);
        float weight = ReadFirstWeight(model);
        RewriteOnnxEntry(stripped, bytes =>
        {
            bytes[IndexOfFloat(bytes, weight) + 3] ^= 0x01;
            return WithoutMetadata(bytes); // where the checksum is kept
        });
        Assert.NotNull(new MLContext().Model.Load(stripped, out _)); // ML.NET itself notices nothing
        var error = Assert.Throws<InvalidDataException>(() => new MLContext().Model.LoadVerified(stripped, out _));
        Assert.Contains(stripped, error.Message);
        Assert.Contains("no checksum", error.Message);
    }

    [Fact]
    public async Task A_process_holding_a_verified_model_and_stopped_by_SIGTERM_leaves_no_temporary_files()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(100, seed: 3));
        using var model = FitSmall(ml, data);
        var path = Path.Combine(_dir.FullName, "model.zip");
        ml.Model.Save(model, data.Schema, path);
        var temp = _dir.CreateSubdirectory("tmp").FullName; // the probe's TMPDIR: its private folder goes here
        var probe = Path.Combine(RepositoryPaths.Root, "tests", "ScoringServiceProbe", "bin", RepositoryPaths.Configuration, "net10.0", "ScoringServiceProbe.dll");
        var start = new System.Diagnostics.ProcessStartInfo("dotnet", [probe, path]) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.Environment["TMPDIR"] = temp;
        using var process = System.Diagnostics.Process.Start(start)!;
        var ready = await process.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromMinutes(2)); // throws TimeoutException if it never loads
        Assert.StartsWith("ready", ready ?? await process.StandardError.ReadToEndAsync());
        var ours = Assert.Single(Directory.GetDirectories(temp, "ml-autoencoders-*"));
        Assert.NotEmpty(Directory.GetFiles(ours, "*", SearchOption.AllDirectories)); // the ONNX copy it scores from

        Assert.Equal(0, Kill(process.Id, 15)); // SIGTERM, as a service manager stops a service
        Assert.True(process.WaitForExit(TimeSpan.FromSeconds(30)), "the probe did not stop on SIGTERM");
        Assert.False(Directory.Exists(ours), $"'{ours}' outlived the process"); // (the runtime's own diagnostic pipes may stay)
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static extern int Kill(int pid, int signal);

    /// <summary>Replaces the zip's OnnxModel entry (a 4-byte length, then the ONNX bytes) with <paramref name="change"/> of the ONNX bytes.</summary>
    internal static void RewriteOnnxEntry(string zipPath, Func<byte[], byte[]> change)
    {
        using var zip = ZipFile.Open(zipPath, ZipArchiveMode.Update);
        var entry = zip.Entries.Single(e => e.Name == "OnnxModel");
        using var content = new MemoryStream();
        using (var s = entry.Open()) s.CopyTo(content);
        var onnx = change(content.ToArray()[4..]);
        var name = entry.FullName;
        entry.Delete();
        using var replaced = zip.CreateEntry(name).Open();
        replaced.Write(BitConverter.GetBytes(onnx.Length));
        replaced.Write(onnx);
    }

    /// <summary>The ONNX model <paramref name="model"/> without its metadata_props.</summary>
    private static byte[] WithoutMetadata(byte[] model)
    {
        var parsed = Onnx.Proto.ModelProto.Parser.ParseFrom(model);
        Assert.NotEmpty(parsed.MetadataProps);
        parsed.MetadataProps.Clear();
        return Google.Protobuf.MessageExtensions.ToByteArray(parsed);
    }

    private static float ReadFirstWeight(AutoencoderTransformer model) => model.GetFirstLayerFilters()[0][0];

    private static int IndexOfFloat(byte[] bytes, float value)
    {
        var pattern = BitConverter.GetBytes(value);
        int at = bytes.AsSpan().IndexOf(pattern);
        Assert.True(at >= 0, "the first weight was not found in the ONNX bytes");
        return at;
    }
}
