using System.Buffers.Binary;
using System.Text;

namespace Tessera.Raster.Output;

/// <summary>
/// Writes a netCDF file in the classic format with 64-bit offsets (CDF-2), which GDAL, xarray and every netCDF library
/// read: dimensions, attributes and variables are defined first (<see cref="AddDimension"/>, <c>AddAttribute</c>,
/// <see cref="AddVariable"/>), then <see cref="EndDefinitions"/> writes the header, and values are written anywhere in a
/// variable by element offset (row-major over its dimensions), big-endian as the format stores them. No record
/// dimension; a variable other than the last holds less than 4 GiB.
/// </summary>
public sealed class NetCdfClassic : IDisposable
{
    /// <summary>The value types used here, by their netCDF codes.</summary>
    public enum NcType { Char = 2, Int = 4, Float = 5, Double = 6 }

    private sealed record Attribute(string Name, NcType Type, byte[] Values, int Count);

    private sealed record Variable(string Name, int[] Dimensions, NcType Type, List<Attribute> Attributes)
    {
        public long Begin { get; set; }
    }

    private readonly FileStream _file;
    private readonly List<(string Name, int Length)> _dimensions = [];
    private readonly List<Attribute> _globals = [];
    private readonly List<Variable> _variables = [];
    private bool _defined;

    public NetCdfClassic(string path) => _file = new FileStream(path, FileMode.Create, FileAccess.ReadWrite, FileShare.None, 1 << 16);

    public void Dispose() => _file.Dispose();

    public int AddDimension(string name, int length)
    {
        CheckDefining(name);
        _dimensions.Add((name, length));
        return _dimensions.Count - 1;
    }

    /// <summary>A variable over the dimensions named (outermost first); none: a single value.</summary>
    public int AddVariable(string name, NcType type, params string[] dimensions)
    {
        CheckDefining(name);
        var ids = dimensions.Select(d => _dimensions.FindIndex(x => x.Name == d) is var i and >= 0 ? i
            : throw new ArgumentException($"no dimension '{d}'")).ToArray();
        _variables.Add(new Variable(name, ids, type, []));
        return _variables.Count - 1;
    }

    /// <summary>A text attribute of a variable, or of the file when <paramref name="variable"/> is null.</summary>
    public void AddAttribute(int? variable, string name, string text) =>
        Attributes(variable).Add(new Attribute(name, NcType.Char, Encoding.UTF8.GetBytes(text), Encoding.UTF8.GetByteCount(text)));

    /// <summary>A numeric attribute (of the variable's own type for <c>_FillValue</c>).</summary>
    public void AddAttribute(int? variable, string name, NcType type, params double[] values)
    {
        var bytes = new byte[values.Length * Size(type)];
        for (var i = 0; i < values.Length; i++)
        {
            Encode(type, values[i], bytes.AsSpan(i * Size(type)));
        }
        Attributes(variable).Add(new Attribute(name, type, bytes, values.Length));
    }

    /// <summary>Writes the header and places every variable; values may be written from now on.</summary>
    public void EndDefinitions()
    {
        _defined = true;
        var header = Header();
        var begin = (long)header.Length;
        foreach (var v in _variables)
        {
            v.Begin = begin;
            begin += VariableSize(v);
        }
        header = Header();
        _file.Write(header);
        _file.SetLength(begin);
    }

    /// <summary>Writes values into a variable from element <paramref name="offset"/> on, in the variable's type.</summary>
    public void Write<T>(int variable, long offset, ReadOnlySpan<T> values) where T : System.Numerics.INumberBase<T>
    {
        var v = _variables[variable];
        var bytes = new byte[values.Length * Size(v.Type)];
        for (var i = 0; i < values.Length; i++)
        {
            Encode(v.Type, double.CreateChecked(values[i]), bytes.AsSpan(i * Size(v.Type)));
        }
        WriteBytes(v, offset, bytes);
    }

    private void WriteBytes(Variable v, long offset, byte[] bytes)
    {
        if (!_defined)
        {
            throw new InvalidOperationException("end the definitions first");
        }
        _file.Position = v.Begin + offset * Size(v.Type);
        _file.Write(bytes);
    }

    private void CheckDefining(string name)
    {
        if (_defined)
        {
            throw new InvalidOperationException("the definitions are ended");
        }
        if (name.Length == 0 || !(char.IsAsciiLetter(name[0]) || name[0] == '_') || !name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.'))
        {
            throw new ArgumentException($"'{name}' is not a netCDF name");
        }
    }

    private List<Attribute> Attributes(int? variable) => variable is { } i ? _variables[i].Attributes : _globals;

    private long VariableSize(Variable v)
    {
        var size = (long)Size(v.Type);
        foreach (var d in v.Dimensions)
        {
            size *= _dimensions[d].Length;
        }
        return (size + 3) / 4 * 4;
    }

    private static int Size(NcType type) => type switch { NcType.Char => 1, NcType.Int or NcType.Float => 4, _ => 8 };

    private static void Encode(NcType type, double value, Span<byte> to)
    {
        switch (type)
        {
            case NcType.Int: BinaryPrimitives.WriteInt32BigEndian(to, checked((int)value)); break;
            case NcType.Float: BinaryPrimitives.WriteSingleBigEndian(to, (float)value); break;
            case NcType.Double: BinaryPrimitives.WriteDoubleBigEndian(to, value); break;
            default: throw new ArgumentException("not a number type");
        }
    }

    private byte[] Header()
    {
        using var header = new MemoryStream();
        void Int(int value)
        {
            Span<byte> b = stackalloc byte[4];
            BinaryPrimitives.WriteInt32BigEndian(b, value);
            header.Write(b);
        }
        void Long(long value)
        {
            Span<byte> b = stackalloc byte[8];
            BinaryPrimitives.WriteInt64BigEndian(b, value);
            header.Write(b);
        }
        void Padded(byte[] bytes)
        {
            header.Write(bytes);
            header.Write(new byte[(4 - bytes.Length % 4) % 4]);
        }
        void Name(string name)
        {
            var bytes = Encoding.UTF8.GetBytes(name);
            Int(bytes.Length);
            Padded(bytes);
        }
        void AttributeList(List<Attribute> attributes)
        {
            if (attributes.Count == 0)
            {
                Int(0);
                Int(0);
                return;
            }
            Int(0x0C);
            Int(attributes.Count);
            foreach (var a in attributes)
            {
                Name(a.Name);
                Int((int)a.Type);
                Int(a.Count);
                Padded(a.Values);
            }
        }
        header.Write("CDF\u0002"u8);
        Int(0); // no records
        if (_dimensions.Count == 0)
        {
            Int(0);
            Int(0);
        }
        else
        {
            Int(0x0A);
            Int(_dimensions.Count);
            foreach (var (name, length) in _dimensions)
            {
                Name(name);
                Int(length);
            }
        }
        AttributeList(_globals);
        if (_variables.Count == 0)
        {
            Int(0);
            Int(0);
        }
        else
        {
            Int(0x0B);
            Int(_variables.Count);
            foreach (var v in _variables)
            {
                Name(v.Name);
                Int(v.Dimensions.Length);
                foreach (var d in v.Dimensions)
                {
                    Int(d);
                }
                AttributeList(v.Attributes);
                Int((int)v.Type);
                var size = VariableSize(v);
                Int(unchecked((int)(size >= 0xFFFFFFFCL ? 0xFFFFFFFFu : (uint)size))); // a variable of 4 GiB or more (the last) says so by 2^32 - 1
                Long(v.Begin);
            }
        }
        return header.ToArray();
    }
}
