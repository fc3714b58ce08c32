using System.Runtime.InteropServices;

namespace Tessera.Raster.Output;

/// <summary>The Linux calls on open files that writing results uses (allocation, truncation, writeback, in-kernel
/// copies), declared once; callers check <see cref="OperatingSystem.IsLinux"/> and treat a failure as "not here".</summary>
internal static unsafe partial class FileCalls
{
    /// <summary><c>fallocate</c> modes.</summary>
    public const int KeepSize = 0x01, InsertRange = 0x20;

    /// <summary><c>sync_file_range</c>: start writing the range, do not wait.</summary>
    public const uint SyncWrite = 0x02;

    [LibraryImport("libc", EntryPoint = "fallocate", SetLastError = true)]
    public static partial int Fallocate(int fd, int mode, long offset, long length);

    [LibraryImport("libc", EntryPoint = "ftruncate", SetLastError = true)]
    public static partial int Ftruncate(int fd, long length);

    [LibraryImport("libc", EntryPoint = "sync_file_range", SetLastError = true)]
    public static partial int SyncFileRange(int fd, long offset, long length, uint flags);

    [LibraryImport("libc", EntryPoint = "copy_file_range", SetLastError = true)]
    public static partial nint CopyFileRange(int input, long* inputOffset, int output, long* outputOffset, nuint length, uint flags);
}
