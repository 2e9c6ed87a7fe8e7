// Compiled by MSBuild's RoslynCodeTaskFactory at build time (see Microsoft.ML.Autoencoders.targets).
//
// Why: TorchSharp 0.107.0's libLibTorchSharp.so was linked with GCC 13 and declares a need for the
// symbol version GLIBCXX_3.4.32, which Debian 12 / Ubuntu 22.04 libstdc++ does not have. The only
// symbol asking for it (std::ios_base_library_init) is never relocated against, so marking that
// version requirement weak (VER_FLG_WEAK in .gnu.version_r) lets the loader accept the library.
// The edit is applied to build-output copies only, never to the NuGet cache, and only when the
// system libstdc++ lacks the version.
using System;
using System.IO;
using System.Text;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;

public sealed class PatchTorchSharpGlibcxxRequirement : Task
{
    private const string RequiredVersion = "GLIBCXX_3.4.32";
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlagWeak = 0x2;

    /// <summary>Build output folder to search for libLibTorchSharp.so copies.</summary>
    [Required]
    public string Directory { get; set; } = "";

    /// <summary>Optional: the libstdc++ to test (defaults to the one the dynamic loader would pick).</summary>
    public string SystemLibStdCxx { get; set; } = "";

    public override bool Execute()
    {
        if (!System.IO.Directory.Exists(Directory)) return true;
        var stdcxx = string.IsNullOrEmpty(SystemLibStdCxx) ? FindSystemLibStdCxx() : SystemLibStdCxx;
        if (stdcxx == null)
        {
            Log.LogMessage(MessageImportance.Low, "libstdc++.so.6 not found; TorchSharp native patch skipped.");
            return true;
        }
        if (Contains(File.ReadAllBytes(stdcxx), Encoding.ASCII.GetBytes(RequiredVersion + "\0")))
        {
            Log.LogMessage(MessageImportance.Low, stdcxx + " provides " + RequiredVersion + "; no patch needed.");
            return true;
        }
        foreach (var path in System.IO.Directory.EnumerateFiles(Directory, "libLibTorchSharp.so", SearchOption.AllDirectories))
        {
            var bytes = File.ReadAllBytes(path);
            string error;
            int patched = MarkVersionWeak(bytes, RequiredVersion, out error);
            if (error != null)
            {
                Log.LogWarning("Could not patch {0}: {1}", path, error);
                continue;
            }
            if (patched == 0) continue;
            // Write a new file and move it over the old name, so a hard link into the NuGet cache
            // (if the copy step made one) keeps its original content.
            var temp = path + ".patching";
            File.WriteAllBytes(temp, bytes);
            File.Delete(path);
            File.Move(temp, path);
            Log.LogMessage(MessageImportance.Normal, "Marked " + RequiredVersion + " weak in " + path + " (system libstdc++ lacks it).");
        }
        return true;
    }

    private static string FindSystemLibStdCxx()
    {
        string[] candidates =
        {
            "/usr/lib/x86_64-linux-gnu/libstdc++.so.6", "/usr/lib/aarch64-linux-gnu/libstdc++.so.6",
            "/usr/lib64/libstdc++.so.6", "/usr/lib/libstdc++.so.6", "/lib/x86_64-linux-gnu/libstdc++.so.6",
        };
        foreach (var c in candidates) if (File.Exists(c)) return c;
        return null;
    }

    private static bool Contains(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            int j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j]) j++;
            if (j == needle.Length) return true;
        }
        return false;
    }

    /// <summary>Sets VER_FLG_WEAK on every vernaux entry named <paramref name="version"/>; returns how many changed.</summary>
    public static int MarkVersionWeak(byte[] elf, string version, out string error)
    {
        error = null;
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        { error = "not an ELF file"; return 0; }
        if (elf[4] != 2 || elf[5] != 1) { error = "not ELF64 little-endian"; return 0; }

        ulong shoff = BitConverter.ToUInt64(elf, 0x28);
        int shentsize = BitConverter.ToUInt16(elf, 0x3A);
        int shnum = BitConverter.ToUInt16(elf, 0x3C);
        int changed = 0;
        for (int i = 0; i < shnum; i++)
        {
            long sh = (long)shoff + (long)i * shentsize;
            if (BitConverter.ToUInt32(elf, (int)sh + 4) != ShtGnuVerneed) continue;
            long offset = (long)BitConverter.ToUInt64(elf, (int)sh + 0x18);
            int link = (int)BitConverter.ToUInt32(elf, (int)sh + 0x28);
            int count = (int)BitConverter.ToUInt32(elf, (int)sh + 0x2C);
            long strtab = (long)BitConverter.ToUInt64(elf, (int)((long)shoff + (long)link * shentsize + 0x18));

            long vn = offset;
            for (int n = 0; n < count; n++)
            {
                int auxCount = BitConverter.ToUInt16(elf, (int)vn + 2);
                long aux = vn + BitConverter.ToUInt32(elf, (int)vn + 8);
                for (int a = 0; a < auxCount; a++)
                {
                    long name = strtab + BitConverter.ToUInt32(elf, (int)aux + 8);
                    if (ReadCString(elf, name) == version)
                    {
                        ushort flags = BitConverter.ToUInt16(elf, (int)aux + 4);
                        if ((flags & VerFlagWeak) == 0)
                        {
                            flags |= VerFlagWeak;
                            elf[aux + 4] = (byte)(flags & 0xff);
                            elf[aux + 5] = (byte)(flags >> 8);
                            changed++;
                        }
                    }
                    aux += BitConverter.ToUInt32(elf, (int)aux + 12);
                }
                vn += BitConverter.ToUInt32(elf, (int)vn + 12);
            }
        }
        return changed;
    }

    private static string ReadCString(byte[] data, long start)
    {
        long end = start;
        while (end < data.Length && data[end] != 0) end++;
        return Encoding.ASCII.GetString(data, (int)start, (int)(end - start));
    }
}
