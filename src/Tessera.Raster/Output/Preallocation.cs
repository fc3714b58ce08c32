using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tessera.Raster.Output;

/// <summary>
/// Disk space reserved for a file before it is written (Linux: <c>fallocate</c>, keeping the file's size). A file written
/// into space the file system has already allocated skips the per-page accounting of delayed allocation: writing 460 MB
/// in 1 MB pieces took 0.045 s instead of 0.085-0.09 s on ext4 here. Best effort: where it is not supported nothing
/// changes. Space reserved beyond the file's end once it is written is given back.
/// </summary>
internal static partial class Preallocation
{
    private const int KeepSize = 0x01;

    [LibraryImport("libc", SetLastError = true)]
    private static partial int fallocate(int fd, int mode, long offset, long length);

    [LibraryImport("libc", SetLastError = true)]
    private static partial int ftruncate(int fd, long length);

    /// <summary>Reserves <paramref name="bytes"/> from the start of the file at <paramref name="path"/>.</summary>
    public static void Reserve(string path, long bytes)
    {
        if (!OperatingSystem.IsLinux() || bytes <= 0)
        {
            return;
        }
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            Reserve(file, 0, bytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not reserved: the file is written as it would have been
        }
    }

    /// <summary>Reserves <paramref name="bytes"/> of an open file from <paramref name="offset"/>.</summary>
    public static void Reserve(SafeFileHandle file, long offset, long bytes)
    {
        if (OperatingSystem.IsLinux() && bytes > 0)
        {
            _ = fallocate((int)file.DangerousGetHandle(), KeepSize, offset, bytes);
        }
    }

    /// <summary>Gives back what was reserved past the end of the finished file at <paramref name="path"/> (up to
    /// <paramref name="reserved"/> bytes from its start).</summary>
    public static void ReleaseBeyondEnd(string path, long reserved)
    {
        if (!OperatingSystem.IsLinux() || reserved <= 0)
        {
            return;
        }
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            ReleaseBeyondEnd(file, reserved);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // nothing to give back, or it cannot be: the space is freed with the file
        }
    }

    /// <summary>Gives back what was reserved past the end of an open file.</summary>
    public static void ReleaseBeyondEnd(SafeFileHandle file, long reserved)
    {
        if (OperatingSystem.IsLinux() && reserved > RandomAccess.GetLength(file))
        {
            // Truncating to its own size frees the blocks past the end (punching a hole there does nothing on ext4).
            _ = ftruncate((int)file.DangerousGetHandle(), RandomAccess.GetLength(file));
        }
    }
}
