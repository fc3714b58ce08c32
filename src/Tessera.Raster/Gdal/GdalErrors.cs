using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Tessera.Raster.Gdal;

/// <summary>
/// GDAL reports errors through a process-wide handler that runs on the thread that raised them. The handler
/// keeps the last failure of each thread, so a caller reads what its own call said, right after the call,
/// and never what another thread's call said. Warnings are kept too (GDAL prints nothing itself).
/// </summary>
internal static unsafe class GdalErrors
{
    private const int ClassWarning = 2;
    private const int ClassFailure = 3;

    // CPLErrorNum values that mean "the file is not there / not readable".
    public const int OpenFailed = 4;
    public const int NoWriteAccess = 9;

    [ThreadStatic] private static string? _lastFailure;
    [ThreadStatic] private static int _lastFailureNumber;
    [ThreadStatic] private static string? _lastWarning;

    public static void Install() => GdalNative.CPLSetErrorHandler(&OnError);

    [UnmanagedCallersOnly(CallConvs = [typeof(CallConvCdecl)])]
    private static void OnError(int errorClass, int errorNumber, byte* message)
    {
        var text = Marshal.PtrToStringUTF8((IntPtr)message) ?? string.Empty;
        if (errorClass >= ClassFailure)
        {
            _lastFailure = text;
            _lastFailureNumber = errorNumber;
        }
        else if (errorClass == ClassWarning)
        {
            _lastWarning = text;
        }
    }

    /// <summary>Forgets this thread's earlier errors; call before the GDAL call to be checked.</summary>
    public static void Reset()
    {
        _lastFailure = null;
        _lastFailureNumber = 0;
        _lastWarning = null;
    }

    /// <summary>The failure GDAL reported on this thread since <see cref="Reset"/>, if any.</summary>
    public static string? Failure => _lastFailure;

    public static int FailureNumber => _lastFailureNumber;

    public static string? Warning => _lastWarning;

    /// <summary>GDAL's message when there is one, else the fallback, for exception texts.</summary>
    public static string Describe(string fallback) =>
        string.IsNullOrWhiteSpace(_lastFailure) ? fallback : _lastFailure.Trim();
}
