using System.Buffers.Binary;

namespace Tessera.Raster.Output.Cog;

/// <summary>One TIFF tag: its number, field type, value count and value bytes (little-endian).</summary>
internal sealed record TiffTag(ushort Tag, ushort Type, long Count, byte[] Value)
{
    public const ushort Short = 3;
    public const ushort Long = 4;
    public const ushort Long8 = 16;

    public static TiffTag Shorts(ushort tag, params ushort[] values)
    {
        var bytes = new byte[values.Length * 2];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(2 * i), values[i]);
        }
        return new TiffTag(tag, Short, values.Length, bytes);
    }

    /// <summary>A size as TIFF writers give it: SHORT when it fits, LONG otherwise.</summary>
    public static TiffTag Size(ushort tag, int value) =>
        value <= ushort.MaxValue ? Shorts(tag, (ushort)value) : Longs(tag, [(uint)value]);

    public static TiffTag Longs(ushort tag, uint[] values)
    {
        var bytes = new byte[values.Length * 4];
        for (var i = 0; i < values.Length; i++)
        {
            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), values[i]);
        }
        return new TiffTag(tag, Long, values.Length, bytes);
    }

    /// <summary>Offsets or byte counts: LONG in a classic TIFF, LONG8 in a BigTIFF.</summary>
    public static TiffTag Offsets(ushort tag, long[] values, bool big)
    {
        var bytes = new byte[values.Length * (big ? 8 : 4)];
        for (var i = 0; i < values.Length; i++)
        {
            if (big)
            {
                BinaryPrimitives.WriteInt64LittleEndian(bytes.AsSpan(8 * i), values[i]);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(4 * i), checked((uint)values[i]));
            }
        }
        return new TiffTag(tag, big ? Long8 : Long, values.Length, bytes);
    }

    /// <summary>The same SHORT value for each of <paramref name="count"/> samples.</summary>
    public static TiffTag PerSample(ushort tag, ushort value, int count)
    {
        var values = new ushort[count];
        for (var i = 0; i < count; i++)
        {
            values[i] = value;
        }
        return Shorts(tag, values);
    }
}

/// <summary>
/// A TIFF image file directory laid out at a known offset: entries sorted by tag, values that do not fit in an
/// entry placed right after the directory (word-aligned), as classic TIFF or BigTIFF.
/// </summary>
internal static class TiffDirectory
{
    /// <summary>The bytes the directory and its out-of-line values take.</summary>
    public static long Size(IReadOnlyList<TiffTag> tags, bool big)
    {
        long size = big ? 8 + 20L * tags.Count + 8 : 2 + 12L * tags.Count + 4;
        var inline = big ? 8 : 4;
        foreach (var tag in tags)
        {
            if (tag.Value.Length > inline)
            {
                size += tag.Value.Length + (tag.Value.Length & 1);
            }
        }
        return size;
    }

    /// <summary>Writes the directory that lies at file offset <paramref name="offset"/> into <paramref name="destination"/> (the bytes from that offset
    /// on), pointing to the next directory at <paramref name="next"/> (0: none).</summary>
    public static void Write(Span<byte> destination, long offset, IReadOnlyList<TiffTag> tags, bool big, long next)
    {
        var sorted = new List<TiffTag>(tags);
        sorted.Sort((a, b) => a.Tag.CompareTo(b.Tag)); // tags are unique: the order is TIFF's
        var entrySize = big ? 20 : 12;
        var inline = big ? 8 : 4;
        var header = big ? 8 : 2;
        var extra = header + (long)entrySize * sorted.Count + (big ? 8 : 4);
        if (big)
        {
            BinaryPrimitives.WriteInt64LittleEndian(destination, sorted.Count);
        }
        else
        {
            BinaryPrimitives.WriteUInt16LittleEndian(destination, (ushort)sorted.Count);
        }
        for (var i = 0; i < sorted.Count; i++)
        {
            var tag = sorted[i];
            var entry = destination.Slice(header + entrySize * i, entrySize);
            entry.Clear();
            BinaryPrimitives.WriteUInt16LittleEndian(entry, tag.Tag);
            BinaryPrimitives.WriteUInt16LittleEndian(entry[2..], tag.Type);
            if (big)
            {
                BinaryPrimitives.WriteInt64LittleEndian(entry[4..], tag.Count);
            }
            else
            {
                BinaryPrimitives.WriteUInt32LittleEndian(entry[4..], checked((uint)tag.Count));
            }
            var value = entry[(big ? 12 : 8)..];
            if (tag.Value.Length <= inline)
            {
                tag.Value.CopyTo(value);
            }
            else
            {
                if (big)
                {
                    BinaryPrimitives.WriteInt64LittleEndian(value, offset + extra);
                }
                else
                {
                    BinaryPrimitives.WriteUInt32LittleEndian(value, checked((uint)(offset + extra)));
                }
                tag.Value.CopyTo(destination[(int)extra..]);
                extra += tag.Value.Length;
                if ((extra & 1) != 0)
                {
                    destination[(int)extra] = 0;
                    extra++;
                }
            }
        }
        var link = destination[(header + entrySize * sorted.Count)..];
        if (big)
        {
            BinaryPrimitives.WriteInt64LittleEndian(link, next);
        }
        else
        {
            BinaryPrimitives.WriteUInt32LittleEndian(link, checked((uint)next));
        }
    }

    /// <summary>Reads the tags of the first directory of a little-endian classic TIFF held in memory.</summary>
    public static List<TiffTag> ReadFirst(ReadOnlySpan<byte> file)
    {
        if (file.Length < 8 || file[0] != (byte)'I' || file[1] != (byte)'I' || BinaryPrimitives.ReadUInt16LittleEndian(file[2..]) != 42)
        {
            throw new RasterException("the GeoTIFF header written by GDAL is not a little-endian classic TIFF");
        }
        var offset = (int)BinaryPrimitives.ReadUInt32LittleEndian(file[4..]);
        var count = BinaryPrimitives.ReadUInt16LittleEndian(file[offset..]);
        var tags = new List<TiffTag>();
        for (var i = 0; i < count; i++)
        {
            var entry = file.Slice(offset + 2 + 12 * i, 12);
            var tag = BinaryPrimitives.ReadUInt16LittleEndian(entry);
            var type = BinaryPrimitives.ReadUInt16LittleEndian(entry[2..]);
            var n = BinaryPrimitives.ReadUInt32LittleEndian(entry[4..]);
            var size = (int)(n * TypeSize(type));
            var value = size <= 4 ? entry.Slice(8, size) : file.Slice((int)BinaryPrimitives.ReadUInt32LittleEndian(entry[8..]), size);
            tags.Add(new TiffTag(tag, type, n, value.ToArray()));
        }
        return tags;
    }

    private static int TypeSize(ushort type) => type switch
    {
        1 or 2 or 6 or 7 => 1,
        3 or 8 => 2,
        4 or 9 or 11 or 13 => 4,
        5 or 10 or 12 or 16 or 17 or 18 => 8,
        _ => throw new RasterException($"unexpected TIFF field type {type} in GDAL's GeoTIFF header"),
    };
}
