using System.Text;

namespace Microsoft.ML.Autoencoders.Datasets;

/// <summary>
/// Decodes a user's text file strictly: UTF-8 (or the UTF-16/32 a byte-order mark announces), refusing invalid bytes and
/// NUL characters — what a binary file or UTF-16 without a byte-order mark looks like — with the file and line named,
/// instead of reading replacement characters or NULs as words.
/// </summary>
internal static class StrictText
{
    private static readonly UTF8Encoding Utf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static string Decode(byte[] bytes, string path)
    {
        string text;
        try
        {
            using var reader = new StreamReader(new MemoryStream(bytes), Utf8, detectEncodingFromByteOrderMarks: true);
            text = reader.ReadToEnd();
        }
        catch (DecoderFallbackException e)
        {
            throw new InvalidDataException($"'{path}' is not UTF-8 text (line {LineOfInvalidByte(bytes)}: {e.Message}). Convert it to UTF-8, or move it out of the collection.", e);
        }
        int nul = text.IndexOf('\0');
        if (nul >= 0)
            throw new InvalidDataException($"'{path}' is not text: line {text.AsSpan(0, nul).Count('\n') + 1} holds a NUL character " +
                "(a binary file, or UTF-16 text without a byte-order mark). Convert it to UTF-8, or move it out of the collection.");
        return text;
    }

    /// <summary>The 1-based line of the first byte sequence that is not UTF-8.</summary>
    private static int LineOfInvalidByte(byte[] bytes)
    {
        int line = 1, start = 0;
        for (int i = 0; i <= bytes.Length; i++)
        {
            if (i < bytes.Length && bytes[i] != (byte)'\n') continue;
            if (!System.Text.Unicode.Utf8.IsValid(bytes.AsSpan(start, i - start))) return line;
            line++;
            start = i + 1;
        }
        return line;
    }
}
