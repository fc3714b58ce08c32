using System.Runtime.InteropServices;

namespace Tessera.Catalog.Files;

/// <summary>
/// Puts a finished file into the store without copying it when the file system allows: a hard link (the same bytes under
/// a second name; the work folder's name goes when the folder is cleaned up). Across file systems, or where links are
/// refused, the caller copies.
/// </summary>
internal static partial class FileLinks
{
    [LibraryImport("libc", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int link(string existing, string created);

    /// <summary>Whether <paramref name="created"/> now names the bytes of <paramref name="existing"/>.</summary>
    public static bool TryLink(string existing, string created)
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
