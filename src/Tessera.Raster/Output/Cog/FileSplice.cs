using Microsoft.Win32.SafeHandles;

namespace Tessera.Raster.Output.Cog;

/// <summary>
/// Room at the front of a file that is already written, and copies between files, done by the kernel where it can:
/// the range is inserted in place (<c>fallocate</c> with <c>FALLOC_FL_INSERT_RANGE</c>, whole file-system blocks: ext4,
/// XFS) so the bulk of a result is never rewritten, and bytes are copied with <c>copy_file_range</c>. Elsewhere the file
/// is rewritten behind the new front.
/// </summary>
internal static class FileSplice
{
    /// <summary>The granularity the front is inserted in (the file-system block; where it differs, the file is rewritten).</summary>
    public const long BlockSize = 4096;

    /// <summary>Starts writing a range of the file to disk in the background (the insertion at the front waits for
    /// every dirty page behind it: started early, that costs nothing at the end).</summary>
    public static void StartWriteback(FileStream file, long offset, long length)
    {
        if (OperatingSystem.IsLinux())
        {
            _ = FileCalls.SyncFileRange((int)file.SafeFileHandle.DangerousGetHandle(), offset, length, FileCalls.SyncWrite);
        }
    }

    /// <summary>Makes <paramref name="length"/> zero bytes at the front of the file at <paramref name="path"/>, whose
    /// contents move back by that much; answers the file, open for writing. <paramref name="inPlace"/> false: rewrite
    /// it (what happens where the file system cannot insert).</summary>
    public static FileStream InsertFront(FileStream file, string path, long length, bool inPlace = true)
    {
        file.Flush();
        if (inPlace && OperatingSystem.IsLinux() && file.Length > 0
            && FileCalls.Fallocate((int)file.SafeFileHandle.DangerousGetHandle(), FileCalls.InsertRange, 0, length) == 0)
        {
            return file;
        }
        // Not supported here: move the contents into a new file behind the front.
        var moved = path + ".data";
        file.Dispose();
        File.Move(path, moved);
        try
        {
            using var source = new FileStream(moved, FileMode.Open, FileAccess.Read, FileShare.None, 1 << 20);
            var target = new FileStream(path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20);
            target.SetLength(length + source.Length);
            Copy(source.SafeFileHandle, 0, target.SafeFileHandle, length, source.Length);
            return target;
        }
        finally
        {
            File.Delete(moved);
        }
    }

    /// <summary>Copies <paramref name="count"/> bytes between files at the given positions.</summary>
    public static unsafe void Copy(SafeFileHandle source, long from, SafeFileHandle target, long to, long count)
    {
        if (OperatingSystem.IsLinux())
        {
            var input = (int)source.DangerousGetHandle();
            var output = (int)target.DangerousGetHandle();
            while (count > 0)
            {
                var done = FileCalls.CopyFileRange(input, &from, output, &to, (nuint)Math.Min(count, 1L << 30), 0);
                if (done <= 0)
                {
                    break; // not supported across these files: copy through memory
                }
                count -= done;
            }
        }
        var buffer = new byte[Math.Min(count, 1 << 20)];
        while (count > 0)
        {
            var read = RandomAccess.Read(source, buffer.AsSpan(0, (int)Math.Min(count, buffer.Length)), from);
            if (read <= 0)
            {
                throw new IOException("the file being copied ended early");
            }
            RandomAccess.Write(target, buffer.AsSpan(0, read), to);
            from += read;
            to += read;
            count -= read;
        }
    }
}
