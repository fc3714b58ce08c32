using System.Buffers.Binary;

namespace Tessera.Server.Tests.BadInput;

/// <summary>
/// TIFFs at the byte level, for bad-input tests: a minimal little-endian writer (so a test can declare whatever
/// sizes and blocks it likes in a few hundred bytes) and a reader of the first directory's entries (so a test
/// can edit tags of a real file in place).
/// </summary>
internal static class TiffBytes
{
    public const ushort Short = 3;
    public const ushort Long = 4;

    /// <summary>One directory entry: tag, type (SHORT or LONG), and its values.</summary>
    public sealed record Entry(ushort Tag, ushort Type, uint[] Values);

    public static Entry S(ushort tag, params uint[] values) => new(tag, Short, values);

    public static Entry L(ushort tag, params uint[] values) => new(tag, Long, values);

    /// <summary>A classic little-endian TIFF with these directories (chained in order) and <paramref name="data"/> appended;
    /// <paramref name="dataOffset"/> is where the data starts, for offsets that point at it.</summary>
    public static byte[] Build(IReadOnlyList<IReadOnlyList<Entry>> directories, byte[]? data = null) => Build(directories, data, out _);

    public static byte[] Build(IReadOnlyList<IReadOnlyList<Entry>> directories, byte[]? data, out uint dataOffset)
    {
        // Layout: header, then each directory followed by its out-of-line values, then the data.
        var size = 8L;
        foreach (var entries in directories)
        {
            size += 2 + 12 * entries.Count + 4;
            size += entries.Sum(e => ValuesBytes(e) > 4 ? ValuesBytes(e) : 0);
        }
        dataOffset = (uint)size;
        var bytes = new byte[size + (data?.Length ?? 0)];
        "II*\0"u8.CopyTo(bytes);
        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4), 8);
        var at = 8;
        for (var d = 0; d < directories.Count; d++)
        {
            var entries = directories[d].OrderBy(e => e.Tag).ToList();
            var outOfLine = at + 2 + 12 * entries.Count + 4;
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)entries.Count);
            for (var i = 0; i < entries.Count; i++)
            {
                var e = entries[i];
                var slot = at + 2 + 12 * i;
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(slot), e.Tag);
                BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(slot + 2), e.Type);
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(slot + 4), (uint)e.Values.Length);
                var target = ValuesBytes(e) > 4 ? outOfLine : slot + 8;
                if (ValuesBytes(e) > 4)
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(slot + 8), (uint)outOfLine);
                    outOfLine += ValuesBytes(e);
                }
                foreach (var value in e.Values)
                {
                    if (e.Type == Short)
                    {
                        BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(target), (ushort)value);
                        target += 2;
                    }
                    else
                    {
                        BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(target), value);
                        target += 4;
                    }
                }
            }
            var next = d + 1 < directories.Count ? outOfLine : 0;
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at + 2 + 12 * entries.Count), (uint)next);
            at = outOfLine;
        }
        data?.CopyTo(bytes.AsSpan(at));
        return bytes;
    }

    private static int ValuesBytes(Entry e) => e.Values.Length * (e.Type == Short ? 2 : 4);

    /// <summary>Where the first directory's entries of a little-endian TIFF are: (tag, type, count, position of the entry).</summary>
    public static IReadOnlyList<(ushort Tag, ushort Type, uint Count, int Position)> FirstDirectory(byte[] tiff)
    {
        if (tiff.Length < 8 || tiff[0] != 'I' || tiff[1] != 'I' || BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(2)) != 42)
        {
            return [];
        }
        var at = (int)BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(4));
        if (at <= 0 || at + 2 > tiff.Length)
        {
            return [];
        }
        var count = BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(at));
        var entries = new List<(ushort, ushort, uint, int)>();
        for (var i = 0; i < count && at + 2 + 12 * (i + 1) <= tiff.Length; i++)
        {
            var slot = at + 2 + 12 * i;
            entries.Add((BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(slot)), BinaryPrimitives.ReadUInt16LittleEndian(tiff.AsSpan(slot + 2)),
                BinaryPrimitives.ReadUInt32LittleEndian(tiff.AsSpan(slot + 4)), slot));
        }
        return entries;
    }
}
