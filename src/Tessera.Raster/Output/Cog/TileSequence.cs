using System.Buffers;
using System.Buffers.Binary;

namespace Tessera.Raster.Output.Cog;

/// <summary>
/// The encoded tiles of one level of a COG, appended to their own file in row-major order whatever order they arrive
/// in (a tile that comes early is held until those before it are written), each as GDAL's COG driver stores it: its
/// size (4 bytes), the data, its last 4 bytes again. Offsets are relative to the start of the file.
/// </summary>
internal sealed class TileSequence(string path, int count) : IDisposable
{
    private readonly Dictionary<int, (byte[] Data, int Length)> _waiting = [];
    private FileStream? _stream;

    public string Path { get; } = path;

    public long[] Offsets { get; } = new long[count];

    public int[] Sizes { get; } = new int[count];

    /// <summary>Bytes written so far.</summary>
    public long Length { get; private set; }

    /// <summary>The next tile to be written.</summary>
    public int Next { get; private set; }

    public bool Complete => Next == Offsets.Length;

    /// <summary>The file, created (never overwriting) when first asked for.</summary>
    public FileStream Stream => _stream ??= new FileStream(Path, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.None, 1 << 20);

    /// <summary>Takes tile <paramref name="index"/>; the data is copied if it has to wait.</summary>
    public void Add(int index, byte[] data, int length)
    {
        if (index < Next || index >= Offsets.Length || _waiting.ContainsKey(index))
        {
            throw new RasterException($"tile {index} is not a tile of the level being written, or came twice");
        }
        if (index != Next)
        {
            var copy = ArrayPool<byte>.Shared.Rent(length);
            data.AsSpan(0, length).CopyTo(copy);
            _waiting[index] = (copy, length);
            return;
        }
        Append(data, length);
        while (_waiting.Remove(Next, out var held))
        {
            Append(held.Data, held.Length);
            ArrayPool<byte>.Shared.Return(held.Data);
        }
    }

    private void Append(byte[] data, int length)
    {
        Span<byte> leader = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(leader, (uint)length);
        Stream.Write(leader);
        Offsets[Next] = Length + 4;
        Sizes[Next] = length;
        Stream.Write(data, 0, length);
        Stream.Write(data, length - 4, 4);
        Length += length + 8;
        Next++;
    }

    public void Dispose()
    {
        _stream?.Dispose();
        foreach (var held in _waiting.Values)
        {
            ArrayPool<byte>.Shared.Return(held.Data);
        }
        _waiting.Clear();
    }
}
