using System.Reflection;
using System.Runtime.InteropServices;

namespace Tessera.Raster.Gdal;

/// <summary>
/// Finds the system GDAL library. <c>TESSERA_GDAL_LIBRARY</c> names a file or library name that wins over
/// every guess; otherwise the usual names of Debian/Ubuntu, macOS (Homebrew, MacPorts) and Windows (OSGeo4W,
/// conda) are tried in turn.
/// </summary>
internal static class GdalLibraryResolver
{
    /// <summary>The name the P/Invoke declarations use; the resolver maps it to a real file.</summary>
    public const string LibraryName = "gdal";

    public const string OverrideVariable = "TESSERA_GDAL_LIBRARY";

    private static readonly Lock Gate = new();
    private static bool _installed;
    // The runtime asks the resolver again for every function it binds: the library found first is kept, so the
    // candidates are probed once per process, not once per function (hundreds of failed loads otherwise).
    private static IntPtr _handle;

    public static void Install()
    {
        lock (Gate)
        {
            if (_installed)
            {
                return;
            }
            NativeLibrary.SetDllImportResolver(typeof(GdalLibraryResolver).Assembly, Resolve);
            _installed = true;
        }
    }

    private static IntPtr Resolve(string name, Assembly assembly, DllImportSearchPath? searchPath)
    {
        if (name != LibraryName)
        {
            return IntPtr.Zero;
        }
        var known = Volatile.Read(ref _handle);
        if (known != IntPtr.Zero)
        {
            return known;
        }
        foreach (var candidate in Candidates())
        {
            if (NativeLibrary.TryLoad(candidate, assembly, searchPath, out var handle))
            {
                Volatile.Write(ref _handle, handle);
                return handle;
            }
        }
        throw new GdalLibraryNotFoundException(Candidates().ToArray());
    }

    /// <summary>The names tried, in order.</summary>
    public static IEnumerable<string> Candidates()
    {
        var overridden = Environment.GetEnvironmentVariable(OverrideVariable);
        if (!string.IsNullOrWhiteSpace(overridden))
        {
            // An explicit choice is not second-guessed: if it does not load, the error says so.
            yield return overridden;
            yield break;
        }
        if (OperatingSystem.IsWindows())
        {
            yield return "gdal.dll";
            for (var v = 312; v >= 304; v--)
            {
                yield return $"gdal{v}.dll";
            }
            yield break;
        }
        if (OperatingSystem.IsMacOS())
        {
            yield return "libgdal.dylib";
            yield return "/opt/homebrew/lib/libgdal.dylib";
            yield return "/usr/local/lib/libgdal.dylib";
            yield return "/opt/local/lib/libgdal.dylib";
            yield break;
        }
        yield return "libgdal.so";
        // Debian/Ubuntu ship only the versioned name unless libgdal-dev is installed:
        // libgdal.so.30 = GDAL 3.4, .32 = 3.6, .34 = 3.8, .35 = 3.9, .36 = 3.10 ...
        for (var soname = 40; soname >= 30; soname--)
        {
            yield return $"libgdal.so.{soname}";
        }
    }
}
