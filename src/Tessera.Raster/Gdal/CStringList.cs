using System.Runtime.InteropServices;
using System.Text;

namespace Tessera.Raster.Gdal;

/// <summary>
/// A NULL-terminated <c>char**</c> of UTF-8 strings (GDAL's option lists and argv), allocated here and freed
/// on dispose; GDAL copies what it keeps.
/// </summary>
internal sealed class CStringList : IDisposable
{
    private readonly IntPtr[] _strings;
    private IntPtr _array;

    public CStringList(IEnumerable<string> items)
    {
        _strings = items.Select(AllocUtf8).ToArray();
        _array = Marshal.AllocHGlobal(IntPtr.Size * (_strings.Length + 1));
        for (var i = 0; i < _strings.Length; i++)
        {
            Marshal.WriteIntPtr(_array, i * IntPtr.Size, _strings[i]);
        }
        Marshal.WriteIntPtr(_array, _strings.Length * IntPtr.Size, IntPtr.Zero);
    }

    /// <summary>The <c>char**</c>; for an empty list a valid pointer to a single NULL.</summary>
    public IntPtr Pointer => _array;

    public void Dispose()
    {
        if (_array == IntPtr.Zero)
        {
            return;
        }
        foreach (var s in _strings)
        {
            Marshal.FreeHGlobal(s);
        }
        Marshal.FreeHGlobal(_array);
        _array = IntPtr.Zero;
    }

    private static IntPtr AllocUtf8(string s)
    {
        var bytes = Encoding.UTF8.GetBytes(s);
        var p = Marshal.AllocHGlobal(bytes.Length + 1);
        Marshal.Copy(bytes, 0, p, bytes.Length);
        Marshal.WriteByte(p, bytes.Length, 0);
        return p;
    }

    /// <summary>Reads a GDAL-owned <c>char**</c> (not freed).</summary>
    public static List<string> Read(IntPtr list)
    {
        var result = new List<string>();
        if (list == IntPtr.Zero)
        {
            return result;
        }
        for (var i = 0; ; i++)
        {
            var p = Marshal.ReadIntPtr(list, i * IntPtr.Size);
            if (p == IntPtr.Zero)
            {
                return result;
            }
            result.Add(Marshal.PtrToStringUTF8(p) ?? string.Empty);
        }
    }
}
