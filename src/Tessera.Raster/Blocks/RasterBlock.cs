namespace Tessera.Raster.Blocks;

/// <summary>
/// One block of work: the input values (NaN = nodata) and the output buffers of a window, row-major. Buffers
/// are sized for the largest block and reused; only the first <see cref="PixelCount"/> values count.
/// </summary>
public sealed class RasterBlock
{
    private readonly float[][] _inputs;
    private readonly float[][] _outputs;
    private float[][] _halves = [];

    internal RasterBlock(int inputs, int outputs, int capacity)
    {
        _inputs = Enumerable.Range(0, inputs).Select(_ => new float[capacity]).ToArray();
        _outputs = Enumerable.Range(0, outputs).Select(_ => new float[capacity]).ToArray();
    }

    public Window Window { get; internal set; }

    public int PixelCount => (int)Window.PixelCount;

    public int InputCount => _inputs.Length;

    public int OutputCount => _outputs.Length;

    public ReadOnlySpan<float> Input(int index) => _inputs[index].AsSpan(0, PixelCount);

    public Span<float> Output(int index) => _outputs[index].AsSpan(0, PixelCount);

    /// <summary>The whole buffer of an input (at least <see cref="PixelCount"/> long), for evaluators that index arrays.</summary>
    public float[] InputArray(int index) => _inputs[index];

    internal Span<float> InputBuffer(int index) => _inputs[index].AsSpan(0, PixelCount);

    /// <summary>Output <paramref name="index"/> at half resolution (a quarter of the capacity), for the overviews
    /// made in the pass.</summary>
    internal Span<float> Half(int index)
    {
        if (_halves.Length == 0)
        {
            _halves = _outputs.Select(o => new float[(o.Length + 3) / 4]).ToArray();
        }
        return _halves[index];
    }

    /// <summary>The whole buffer of output <paramref name="index"/> (at least <see cref="PixelCount"/> long).</summary>
    internal float[] OutputArray(int index) => _outputs[index];

    /// <summary>The whole buffer of output <paramref name="index"/> at half resolution.</summary>
    internal float[] HalfArray(int index)
    {
        Half(index);
        return _halves[index];
    }

    /// <summary>The block as a file stores it once encoded (a compressed tile), when the output encodes in the pass.</summary>
    internal byte[] Encoded { get; set; } = [];

    internal int EncodedLength { get; set; }

    /// <summary>Whatever the output made of the block on its computing thread for its writing thread to take.</summary>
    internal object? Carried { get; set; }

    /// <summary>Hands this block's outputs (and their halves) to <paramref name="other"/> (same shape) and takes its buffers.</summary>
    internal void SwapOutputs(RasterBlock other)
    {
        for (var i = 0; i < _outputs.Length; i++)
        {
            (_outputs[i], other._outputs[i]) = (other._outputs[i], _outputs[i]);
        }
        (_halves, other._halves) = (other._halves, _halves);
        (Encoded, other.Encoded) = (other.Encoded, Encoded);
        (EncodedLength, other.EncodedLength) = (other.EncodedLength, EncodedLength);
        (Carried, other.Carried) = (other.Carried, Carried);
        other.Window = Window;
    }
}
