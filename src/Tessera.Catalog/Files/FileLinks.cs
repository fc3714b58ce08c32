using System.Runtime.InteropServices;

namespace Tessera.Catalog.Files;

/// <summary>
/// Puts a finished file somewhere else without copying it when the file system allows: a hard link (the same bytes under
/// a second name; the first name can go without touching them). Across file systems, or where links are refused, the
/// bytes are copied. Used for files nobody writes again: stored files, task results, inputs staged for a task.
/// </summary>
public static partial class FileLinks
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string existing, string created);

    /// <summary>Makes <paramref name="target"/> (replaced if it exists) hold the bytes of <paramref name="source"/>.</summary>
    public static async Task LinkOrCopyAsync(string source, string target, CancellationToken cancellationToken = default)
    {
        if (File.Exists(target))
        {
            File.Delete(target);
        }
        if (TryLink(source, target))
        {
            return;
        }
        await using var from = new FileStream(source, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, useAsync: true);
        await using var to = new FileStream(target, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16, useAsync: true);
        await from.CopyToAsync(to, 1 << 20, cancellationToken);
    }

    private static bool TryLink(string existing, string created)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS())
        {
            return false;
        }
        try
        {
            return link(existing, created) == 0;
        }
        catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
        {
            return false;
        }
    }
}
