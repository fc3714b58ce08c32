namespace Tessera.Raster.Output.Cog;

/// <summary>
/// TIFF's LZW (compression 5): codes of 9 to 12 bits, most significant bit first, Clear (256) at the start and
/// whenever the table fills, End of Information (257) at the end, the code width growing one code early, as
/// libtiff writes and reads it.
/// </summary>
internal sealed class LzwEncoder
{
    private const int Clear = 256;
    private const int End = 257;
    private const int First = 258;
    private const int Full = 4094; // the table is cleared when the next code would be this (as libtiff does)
    private const int HashSize = 1 << 13;

    private readonly int[] _keys = new int[HashSize];
    private readonly short[] _codes = new short[HashSize];

    public int Encode(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var writer = new BitWriter(output);
        var width = 9;
        var next = First;
        Reset();
        writer.Put(Clear, width);
        if (input.IsEmpty)
        {
            writer.Put(End, width);
            return writer.Finish();
        }
        int prefix = input[0];
        for (var i = 1; i < input.Length; i++)
        {
            var symbol = input[i];
            var key = (prefix << 8) | symbol;
            var slot = Find(key);
            if (_keys[slot] == key)
            {
                prefix = _codes[slot];
                continue;
            }
            writer.Put(prefix, width);
            _keys[slot] = key;
            _codes[slot] = (short)next;
            Grow(ref writer, ref next, ref width);
            prefix = symbol;
        }
        writer.Put(prefix, width);
        Grow(ref writer, ref next, ref width);
        writer.Put(End, width);
        return writer.Finish();
    }

    /// <summary>After a code is given: a full table is cleared (Clear sent at the current width); otherwise the width
    /// grows once the next code would not fit.</summary>
    private void Grow(ref BitWriter writer, ref int next, ref int width)
    {
        next++;
        if (next == Full)
        {
            writer.Put(Clear, width);
            Reset();
            width = 9;
            next = First;
        }
        else if (next > (1 << width) - 1)
        {
            width++;
        }
    }

    private void Reset() => Array.Fill(_keys, -1);

    private int Find(int key)
    {
        var slot = (int)((uint)(key * -1640531535) >> 19);
        while (_keys[slot] != -1 && _keys[slot] != key)
        {
            slot = (slot + 1) & (HashSize - 1);
        }
        return slot;
    }

    private ref struct BitWriter(Span<byte> output)
    {
        private readonly Span<byte> _output = output;
        private int _length;
        private ulong _bits;
        private int _count;

        public void Put(int code, int width)
        {
            _bits = (_bits << width) | (uint)code;
            _count += width;
            while (_count >= 8)
            {
                _count -= 8;
                _output[_length++] = (byte)(_bits >> _count);
            }
        }

        public int Finish()
        {
            if (_count > 0)
            {
                _output[_length++] = (byte)(_bits << (8 - _count));
                _count = 0;
            }
            return _length;
        }
    }
}
