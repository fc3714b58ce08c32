using System.Buffers.Binary;

namespace Tessera.Server.Tests.BadInput;

/// <summary>
/// Damaged copies of a real TIFF, the same ones for the same seed: cut short, bits flipped anywhere or in the
/// header and directories, and values of the first directory's tags (sizes, blocks, offsets, compression,
/// sample format...) set to extremes.
/// </summary>
internal static class TiffMutations
{
    private static readonly uint[] Extremes = [0, 1, 2, 3, 7, 8, 16, 255, 256, 0xFFFF, 0x10000, 0x7FFF_FFFF, 0xFFFF_FFFF];

    public static IEnumerable<(string Kind, byte[] Bytes)> Of(byte[] original, int count, int seed)
    {
        var random = new Random(seed);
        var directory = TiffBytes.FirstDirectory(original);
        for (var i = 0; i < count; i++)
        {
            var bytes = (byte[])original.Clone();
            switch (i % 4)
            {
                case 0:
                    yield return ("truncated", bytes[..random.Next(0, original.Length)]);
                    break;
                case 1:
                    Flip(bytes, random, 1 + random.Next(16), bytes.Length);
                    yield return ("bit flips", bytes);
                    break;
                case 2:
                    Flip(bytes, random, 1 + random.Next(4), Math.Min(bytes.Length, 4096));
                    yield return ("header bit flips", bytes);
                    break;
                default:
                    if (directory.Count == 0)
                    {
                        Flip(bytes, random, 8, bytes.Length);
                        yield return ("bit flips", bytes);
                        break;
                    }
                    var (tag, type, valueCount, position) = directory[random.Next(directory.Count)];
                    var value = random.Next(3) == 0 ? (uint)random.Next() : Extremes[random.Next(Extremes.Length)];
                    switch (random.Next(4))
                    {
                        case 0:
                            BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(position + 4), value); // the count
                            break;
                        case 1:
                            BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(position + 2), (ushort)random.Next(0, 19)); // the type
                            break;
                        default:
                            var inline = valueCount * (type == TiffBytes.Short ? 2u : 4u) <= 4;
                            var at = inline ? position + 8 : (int)BinaryPrimitives.ReadUInt32LittleEndian(bytes.AsSpan(position + 8));
                            if (!inline && random.Next(2) == 0)
                            {
                                at = position + 8; // the offset of the values itself
                            }
                            if (at >= 0 && at + 4 <= bytes.Length)
                            {
                                if (type == TiffBytes.Short && at != position + 8 || (type == TiffBytes.Short && inline))
                                {
                                    BinaryPrimitives.WriteUInt16LittleEndian(bytes.AsSpan(at), (ushort)value);
                                }
                                else
                                {
                                    BinaryPrimitives.WriteUInt32LittleEndian(bytes.AsSpan(at), value);
                                }
                            }
                            break;
                    }
                    yield return ($"tag {tag} edited", bytes);
                    break;
            }
        }
    }

    private static void Flip(byte[] bytes, Random random, int flips, int within)
    {
        if (within <= 0)
        {
            return;
        }
        for (var f = 0; f < flips; f++)
        {
            bytes[random.Next(within)] ^= (byte)(1 << random.Next(8));
        }
    }
}
