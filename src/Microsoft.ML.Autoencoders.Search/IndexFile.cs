using Microsoft.ML.Autoencoders.Files;
using System.Security.Cryptography;
using Microsoft.ML.Autoencoders.Export;

namespace Microsoft.ML.Autoencoders;

/// <summary>
/// The file framing both search indexes use: an 8-byte magic, the index's own payload, and a SHA-256 of both, written
/// through a temporary file so an existing file is only ever replaced by a complete one.
/// </summary>
internal static class IndexFile
{
    private const int HashLength = 32;

    public static void Write(string path, byte[] magic, Action<BinaryWriter> payload)
    {
        using var body = new MemoryStream();
        using (var w = new BinaryWriter(body, System.Text.Encoding.UTF8, leaveOpen: true))
        {
            w.Write(magic);
            payload(w);
        }
        var bytes = body.ToArray();
        AtomicFile.Write(path, "the index", file =>
        {
            file.Write(bytes);
            file.Write(SHA256.HashData(bytes));
        });
    }

    public static T Read<T>(string path, byte[] magic, Func<BinaryReader, T> payload)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var full = Path.GetFullPath(path);
        if (Directory.Exists(full)) throw new FileNotFoundException($"Index path '{full}' is a folder, not an index file.", full);
        if (!File.Exists(full)) throw new FileNotFoundException($"Index file '{full}' does not exist.", full);
        var bytes = File.ReadAllBytes(full);
        try
        {
            if (bytes.Length < magic.Length + HashLength || !bytes.AsSpan(0, magic.Length).SequenceEqual(magic))
                throw new InvalidDataException("it does not start with this index type's header (wrong file, or truncated)");
            var body = bytes.AsSpan(0, bytes.Length - HashLength);
            if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - HashLength)))
                throw new InvalidDataException("its checksum does not match its contents (the file is corrupt or truncated)");
            using var reader = new BinaryReader(new MemoryStream(bytes, magic.Length, body.Length - magic.Length));
            return payload(reader);
        }
        catch (Exception e) when (e is InvalidDataException or EndOfStreamException)
        {
            throw new InvalidDataException($"'{full}' is not a valid {typeof(T).Name}: {e.Message}", e);
        }
    }
}
