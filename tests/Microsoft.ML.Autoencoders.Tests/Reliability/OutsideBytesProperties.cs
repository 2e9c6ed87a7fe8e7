using System.IO.Compression;
using System.Security.Cryptography;
using FsCheck.Xunit;
using Microsoft.ML.Autoencoders.Datasets;
using Microsoft.ML.Autoencoders.Tests.Infrastructure;

namespace Microsoft.ML.Autoencoders.Tests.Reliability;

/// <summary>
/// Every reader of outside bytes (IDX, Reuters SGML, index files, model zips), given a damaged copy of a valid file —
/// cut at a random length, one byte flipped, or a random header — either returns exactly what the file holds or throws
/// a typed exception whose message names the file; never a crash, a hang or a silent wrong answer.
/// Byte flips are tried on the forms that carry a checksum (gzip's CRC-32, the indexes' SHA-256, the graph's SHA-256):
/// a flipped pixel in a raw IDX file or a flipped letter in raw SGML is valid data that no reader could tell apart.
/// </summary>
public sealed class OutsideBytesProperties : IDisposable
{
    /// <summary>
    /// The cases come from this fixed seed, so every run of the suite tries the same damaged files (a red CI means a
    /// regression, not a new draw). To explore further, change it locally and run the class alone.
    /// </summary>
    private const string Seed = "(20261127,1511)";

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("ae-outside-bytes-");

    public void Dispose() => _dir.Delete(recursive: true);

    /// <summary>Writes <paramref name="bytes"/> damaged by (kind, position, mask) to a fresh file and returns its path.</summary>
    private string Damaged(string name, byte[] bytes, int kind, int position, byte mask)
    {
        var damaged = (byte[])bytes.Clone();
        int at = (int)((uint)position % (uint)bytes.Length);
        if (kind % 2 == 0) damaged = damaged[..at];           // cut
        else damaged[at] ^= mask == 0 ? (byte)1 : mask;       // one byte flipped
        var path = Path.Combine(_dir.CreateSubdirectory(Guid.NewGuid().ToString("N")).FullName, name);
        File.WriteAllBytes(path, damaged);
        return path;
    }

    /// <summary>Loads <paramref name="path"/>: it must give <paramref name="intact"/> back or fail clearly (naming the file), within 60 s.</summary>
    internal static void LoadsIntactOrNamesTheFile<T>(string path, Func<string, T> load, Func<T, bool> intact)
    {
        var attempt = Task.Run(() => load(path));
        Assert.True(attempt.ContinueWith(_ => { }).Wait(TimeSpan.FromSeconds(60)), $"loading '{path}' hung");
        if (attempt.Exception?.InnerException is { } e)
        {
            Assert.True(e is InvalidDataException or FileNotFoundException, $"'{path}': untyped failure {e.GetType().Name}: {e.Message}");
            Assert.Contains(path, e.Message);
        }
        else Assert.True(intact(attempt.Result), $"'{path}' loaded without error but not as the intact file");
    }

    // ---- IDX ----------------------------------------------------------------------------------------------------

    private static readonly Lazy<byte[]> RawImages = new(() =>
    {
        var (count, rows, cols, pixels) = IdxFile.ReadImages(Mnist.Locate(TestData.MnistDirectory, "t10k-images-idx3-ubyte"), maxItems: 20);
        using var file = new MemoryStream();
        foreach (var v in new[] { IdxFile.ImagesMagic, count, rows, cols }) file.Write(BitConverter.GetBytes(System.Buffers.Binary.BinaryPrimitives.ReverseEndianness(v)));
        file.Write(pixels);
        return file.ToArray();
    });

    private static byte[] Gzip(byte[] bytes)
    {
        using var output = new MemoryStream();
        using (var gz = new GZipStream(output, CompressionLevel.Fastest)) gz.Write(bytes);
        return output.ToArray();
    }

    private static bool SameImages((int Count, int Rows, int Columns, byte[] Pixels) loaded, byte[] raw) =>
        (long)loaded.Count * loaded.Rows * loaded.Columns == loaded.Pixels.Length && loaded.Pixels.AsSpan().SequenceEqual(raw.AsSpan(16));

    [Property(MaxTest = 150, Replay = Seed)]
    public void Idx_gzipped_cut_or_flipped(int kind, int position, byte mask)
    {
        var path = Damaged("images-idx3-ubyte.gz", Gzip(RawImages.Value), kind, position, mask);
        LoadsIntactOrNamesTheFile(path, p => IdxFile.ReadImages(p), loaded => SameImages(loaded, RawImages.Value));
    }

    [Property(MaxTest = 150, Replay = Seed)]
    public void Idx_raw_with_a_random_header_field_or_cut(int field, int value, int position)
    {
        var bytes = (byte[])RawImages.Value.Clone();
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(4 * (int)((uint)field % 4)), value);
        int keep = (int)((uint)position % (uint)(bytes.Length + 1)); // bytes.Length: not cut
        var path = Path.Combine(_dir.CreateSubdirectory(Guid.NewGuid().ToString("N")).FullName, "images-idx3-ubyte");
        File.WriteAllBytes(path, bytes[..keep]);
        LoadsIntactOrNamesTheFile(path, p => IdxFile.ReadImages(p), loaded => SameImages(loaded, RawImages.Value));
    }

    // ---- Reuters SGML -------------------------------------------------------------------------------------------

    private static readonly Lazy<byte[]> LastReutersFile = new(() => File.ReadAllBytes(Reuters.Locate(TestData.ReutersDirectory, "reut2-021.sgm")));
    private static readonly Lazy<string> LastReutersIds = new(() => Ids(Reuters.ReadFile(Reuters.Locate(TestData.ReutersDirectory, "reut2-021.sgm"))));

    private static string Ids(IReadOnlyList<ReutersDocument> documents) => string.Join(",", documents.Select(d => $"{d.Id}:{d.Title.Length}:{d.Body.Length}"));

    [Property(MaxTest = 60, Replay = Seed)]
    public void Reuters_gzipped_cut_or_flipped(int kind, int position, byte mask)
    {
        var gz = LastReutersFile.Value[0] == 0x1f ? LastReutersFile.Value : Gzip(LastReutersFile.Value);
        var path = Damaged("reut2-021.sgm.gz", gz, kind, position, mask);
        LoadsIntactOrNamesTheFile(path, Reuters.ReadFile, documents => Ids(documents) == LastReutersIds.Value);
    }

    [Property(MaxTest = 60, Replay = Seed)]
    public void Reuters_raw_cut_anywhere(int position)
    {
        using var raw = new MemoryStream();
        using (var gz = new GZipStream(new MemoryStream(LastReutersFile.Value), CompressionMode.Decompress)) gz.CopyTo(raw);
        var path = Damaged("reut2-021.sgm", raw.ToArray(), kind: 0, position, mask: 0);
        LoadsIntactOrNamesTheFile(path, Reuters.ReadFile, documents => Ids(documents) == LastReutersIds.Value);
    }

    // ---- Index files --------------------------------------------------------------------------------------------

    private static readonly float[][] Codes = Enumerable.Range(0, 40).Select(i => Enumerable.Range(0, 12).Select(j => MathF.Sin(i * 12 + j)).ToArray()).ToArray();

    private byte[] Saved(Action<string> save)
    {
        var path = Path.Combine(_dir.FullName, Guid.NewGuid().ToString("N"));
        save(path);
        return File.ReadAllBytes(path);
    }

    private static bool SameHits(SearchHit[] a, SearchHit[] b) => a.SequenceEqual(b);

    [Property(MaxTest = 150, Replay = Seed)]
    public void Index_files_cut_or_flipped(int kind, int position, byte mask, bool binary)
    {
        var query = Codes[3];
        if (binary)
        {
            var index = BinaryCodeIndex.Create(Codes);
            var path = Damaged("codes.bidx", Saved(index.Save), kind, position, mask);
            LoadsIntactOrNamesTheFile(path, BinaryCodeIndex.Load, loaded => SameHits(loaded.Search(query, 5), index.Search(query, 5)));
        }
        else
        {
            var index = CodeIndex.Create(Codes);
            var path = Damaged("codes.idx", Saved(index.Save), kind, position, mask);
            LoadsIntactOrNamesTheFile(path, CodeIndex.Load, loaded => SameHits(loaded.Search(query, 5), index.Search(query, 5)));
        }
    }

    /// <summary>A crafted file: a random value in one of the header's int fields, with a checksum that matches it.</summary>
    [Property(MaxTest = 150, Replay = Seed)]
    public void Index_files_with_a_random_header_and_a_valid_checksum(int field, int value, bool binary)
    {
        var query = Codes[3];
        var bytes = binary ? Saved(BinaryCodeIndex.Create(Codes).Save) : Saved(CodeIndex.Create(Codes).Save);
        int fields = binary ? 3 : 4; // binary: version, count, bits; dense: version, distance, count, dimension
        var body = bytes[..^32];
        BitConverter.TryWriteBytes(body.AsSpan(8 + 4 * (int)((uint)field % (uint)fields)), value);
        var crafted = Path.Combine(_dir.CreateSubdirectory(Guid.NewGuid().ToString("N")).FullName, binary ? "crafted.bidx" : "crafted.idx");
        File.WriteAllBytes(crafted, [.. body, .. SHA256.HashData(body)]);
        if (binary) LoadsIntactOrNamesTheFile(crafted, BinaryCodeIndex.Load, loaded => SameHits(loaded.Search(query, 5), BinaryCodeIndex.Create(Codes).Search(query, 5)));
        // The distance field may be rewritten to the other valid distance: the file is then a well-formed index of that
        // kind over the same stored rows (cosine stores them normalised), which no reader can tell from the original.
        else LoadsIntactOrNamesTheFile(crafted, CodeIndex.Load, loaded => loaded.Count == Codes.Length && loaded.Dimension == Codes[0].Length &&
            (loaded.Distance != CodeDistance.Cosine || SameHits(loaded.Search(query, 5), CodeIndex.Create(Codes).Search(query, 5))));
    }

    // ---- Model zips ---------------------------------------------------------------------------------------------

    private static readonly Lazy<(byte[] Zip, float[][] Codes)> SavedModel = new(() =>
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(SyntheticData.LowRank(60, seed: 5));
        using var model = ml.Transforms.AutoencoderFeaturizer("Code", "Features", new AutoencoderOptions { EncoderLayers = [6], CodeSize = 2, Epochs = 1 }).Fit(data);
        using var zip = new MemoryStream();
        ml.Model.Save(model, data.Schema, zip);
        return (zip.ToArray(), Columns.Vectors(model.Transform(data), "Code").ToArray());
    });

    private static float[][] CodesOf(ITransformer model)
    {
        var ml = new MLContext();
        return Columns.Vectors(model.Transform(ml.Data.LoadFromEnumerable(SyntheticData.LowRank(60, seed: 5))), "Code").ToArray();
    }

    [Property(MaxTest = 40, Replay = Seed)]
    public void Model_zips_cut_or_flipped(int kind, int position, byte mask)
    {
        var (zip, codes) = SavedModel.Value;
        var path = Damaged("model.zip", zip, kind, position, mask);
        LoadsIntactOrNamesTheFile(path, p => new MLContext().Model.LoadVerified(p, out _),
            loaded => CodesOf(loaded).Zip(codes).All(pair => pair.First.SequenceEqual(pair.Second)));
    }
}
