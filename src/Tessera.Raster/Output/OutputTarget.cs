using System.Runtime.InteropServices;

namespace Tessera.Raster.Output;

/// <summary>
/// Where a result may be written. A result is written under a temporary name in its folder and renamed over its path,
/// which would replace a device, a pipe or a socket there (<c>-o /dev/null</c> would replace the device with a file):
/// the folder must exist, and only a regular file, a symbolic link (the link is replaced, not what it points to) or
/// nothing may be at the path.
/// </summary>
public static unsafe partial class OutputTarget
{
    private const int AtCurrentDirectory = -100;
    private const int NoFollow = 0x100;
    private const uint TypeMask = 0x1;

    // struct statx: the same layout on every architecture; stx_mode is the 16-bit field at byte 28.
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int statx(int directory, string path, int flags, uint mask, byte* buffer);

    /// <summary>Checks <paramref name="path"/> (as the user gave it, for the messages); answers its full path and its
    /// folder.</summary>
    public static (string Full, string Folder) Check(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var folder = System.IO.Path.GetDirectoryName(full)!;
        if (!Directory.Exists(folder))
        {
            throw new RasterIOException(path, $"{path}: cannot write: folder {folder} does not exist");
        }
        if (Directory.Exists(full))
        {
            throw new RasterIOException(path, $"{path}: cannot write: it is a folder");
        }
        if (Obstacle(full) is { } obstacle)
        {
            throw new RasterIOException(path, $"{path}: cannot write: it is {obstacle}, not a file");
        }
        return (full, folder);
    }

    /// <summary>Null when the path can be written over; otherwise what is there ("a character device", ...).</summary>
    private static string? Obstacle(string path)
    {
        if (!OperatingSystem.IsLinux())
        {
            return null;
        }
        var buffer = stackalloc byte[256];
        try
        {
            if (statx(AtCurrentDirectory, path, NoFollow, TypeMask, buffer) != 0)
            {
                return null; // nothing there (or not reachable: creating the file reports that)
            }
        }
        catch (EntryPointNotFoundException)
        {
            return null;
        }
        var mode = *(ushort*)(buffer + 28);
        return (mode & 0xF000) switch
        {
            0x8000 or 0xA000 => null,
            0x2000 => "a character device",
            0x6000 => "a block device",
            0x1000 => "a named pipe",
            0xC000 => "a socket",
            _ => "not a regular file",
        };
    }
}
