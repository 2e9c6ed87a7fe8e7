using System.Buffers.Binary;
using System.IO.Compression;

namespace Microsoft.ML.Autoencoders.Datasets;

/// <summary>
/// Reads the IDX format of the MNIST files (big-endian header: magic 0x00000801 labels / 0x00000803 images,
/// then the dimensions, then unsigned bytes), gzipped or not. Truncated or corrupt files give an error naming the file.
/// </summary>
public static class IdxFile
{
    /// <summary>Magic number of an IDX file of unsigned bytes with one dimension (labels).</summary>
    public const int LabelsMagic = 2049;

    /// <summary>Magic number of an IDX file of unsigned bytes with three dimensions (images).</summary>
    public const int ImagesMagic = 2051;

    /// <summary>Reads a labels file: one byte per item.</summary>
    public static byte[] ReadLabels(string path, int? maxItems = null)
    {
        return Read(path, LabelsMagic, maxItems).Data;
    }

    /// <summary>Reads an images file: returns (count, rows, columns, pixels as bytes row-major).</summary>
    public static (int Count, int Rows, int Columns, byte[] Pixels) ReadImages(string path, int? maxItems = null)
    {
        var (dims, data) = Read(path, ImagesMagic, maxItems);
        return (dims[0], dims[1], dims[2], data);
    }

    /// <summary>Checks that a file is a complete IDX file of the given kind without keeping its data.</summary>
    public static int Verify(string path, int expectedMagic) => Read(path, expectedMagic, null).Dims[0];

    private static (int[] Dims, byte[] Data) Read(string path, int expectedMagic, int? maxItems)
    {
        if (!File.Exists(path)) throw new FileNotFoundException($"IDX file '{path}' does not exist.", path);
        try
        {
            using var file = File.OpenRead(path);
            using var stream = IsGzip(file) ? new GZipStream(file, CompressionMode.Decompress) : (Stream)file;
            Span<byte> header = stackalloc byte[4];
            ReadExactly(stream, header, path, "header");
            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
                throw new InvalidDataException($"'{path}' is not an IDX {(expectedMagic == ImagesMagic ? "images" : "labels")} file: magic number {magic}, expected {expectedMagic}.");
            int rank = magic & 0xff;
            var dims = new int[rank];
            for (int i = 0; i < rank; i++)
            {
                ReadExactly(stream, header, path, "dimensions");
                dims[i] = BinaryPrimitives.ReadInt32BigEndian(header);
                if (dims[i] < 0) throw new InvalidDataException($"'{path}' has a negative dimension ({dims[i]}).");
            }
            long itemSize = 1;
            for (int i = 1; i < rank; i++) itemSize = Math.Min(itemSize * dims[i], long.MaxValue / int.MaxValue);
            int items = Math.Min(dims[0], maxItems ?? int.MaxValue);
            long total = items * itemSize;
            if (total > Array.MaxLength)
                throw new InvalidDataException($"'{path}' has a corrupt header: it announces {dims[0]:N0} items of {itemSize:N0} bytes, more than one array can hold.");
            // The header is not trusted with an allocation: the buffer grows with the bytes actually read.
            var data = ReadAnnounced(stream, (int)total, path, $"{items} items of {itemSize} bytes");
            if (items == dims[0] && stream.ReadByte() >= 0)
                throw new InvalidDataException($"'{path}' is corrupt: it holds more bytes than the {dims[0]:N0} items of {itemSize:N0} bytes its header announces.");
            dims[0] = items;
            return (dims, data);
        }
        catch (InvalidDataException e) when (!e.Message.Contains(path))
        {
            throw new InvalidDataException($"'{path}' is corrupt: {e.Message}", e);
        }
    }

    private static bool IsGzip(FileStream file)
    {
        Span<byte> magic = stackalloc byte[2];
        int n = file.Read(magic);
        file.Position = 0;
        return n == 2 && magic[0] == 0x1f && magic[1] == 0x8b;
    }

    private static byte[] ReadAnnounced(Stream stream, int length, string path, string what)
    {
        const int Chunk = 16 << 20;
        var data = new byte[Math.Min(length, Chunk)];
        int total = 0;
        while (total < length)
        {
            if (total == data.Length) Array.Resize(ref data, (int)Math.Min(length, 2L * data.Length));
            int n = stream.Read(data, total, data.Length - total);
            if (n == 0) throw new InvalidDataException($"'{path}' is truncated: it ended after {total} of the {length} bytes of its {what}.");
            total += n;
        }
        return data;
    }

    private static void ReadExactly(Stream stream, Span<byte> buffer, string path, string what)
    {
        int total = 0;
        while (total < buffer.Length)
        {
            int n = stream.Read(buffer[total..]);
            if (n == 0)
                throw new InvalidDataException($"'{path}' is truncated: it ended after {total} of the {buffer.Length} bytes of its {what}.");
            total += n;
        }
    }
}
