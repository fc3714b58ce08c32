using Microsoft.Win32.SafeHandles;

namespace Tessera.Raster.Output;

/// <summary>
/// Disk space reserved for a file before it is written (Linux: <c>fallocate</c>, keeping the file's size). A file written
/// into space the file system has already allocated skips the per-page accounting of delayed allocation: writing 460 MB
/// in 1 MB pieces took 0.045 s instead of 0.085-0.09 s on ext4 here. Best effort: where it is not supported nothing
/// changes. Space reserved beyond the file's end once it is written is given back.
/// </summary>
internal static class Preallocation
{
    /// <summary>Reserves <paramref name="bytes"/> of an open file from <paramref name="offset"/>.</summary>
    public static void Reserve(SafeFileHandle file, long offset, long bytes)
    {
        if (OperatingSystem.IsLinux() && bytes > 0)
        {
            _ = FileCalls.Fallocate((int)file.DangerousGetHandle(), FileCalls.KeepSize, offset, bytes);
        }
    }

    /// <summary>Gives back what was reserved past the end of an open file (up to <paramref name="reserved"/> bytes from
    /// its start).</summary>
    public static void ReleaseBeyondEnd(SafeFileHandle file, long reserved)
    {
        if (OperatingSystem.IsLinux() && RandomAccess.GetLength(file) is var length && reserved > length)
        {
            // Truncating to its own size frees the blocks past the end (punching a hole there does nothing on ext4).
            _ = FileCalls.Ftruncate((int)file.DangerousGetHandle(), length);
        }
    }

    /// <summary><see cref="Reserve(SafeFileHandle, long, long)"/> from the start of the file at <paramref name="path"/>.</summary>
    public static void Reserve(string path, long bytes) => OnFile(path, bytes, file => Reserve(file, 0, bytes));

    /// <summary><see cref="ReleaseBeyondEnd(SafeFileHandle, long)"/> on the finished file at <paramref name="path"/>.</summary>
    public static void ReleaseBeyondEnd(string path, long reserved) => OnFile(path, reserved, file => ReleaseBeyondEnd(file, reserved));

    private static void OnFile(string path, long bytes, Action<SafeFileHandle> call)
    {
        if (!OperatingSystem.IsLinux() || bytes <= 0)
        {
            return;
        }
        try
        {
            using var file = File.OpenHandle(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite);
            call(file);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // not reserved, or not given back: the file is written as it would have been, its space freed with it
        }
    }
}
