using System.Numerics;
using Tessera.Raster.Kernels;
using Tessera.Raster.Blocks;

namespace Tessera.Processing.Mosaic;

/// <summary>
/// Combines the inputs of a mosaic pixel by pixel. Inputs: the images (each <c>bands</c> bands), then, for feathering,
/// each image's weight (distance to its edge), in the same order; output b is band b of the mosaic.
/// NaN (no data, or outside an input) never takes part; no valid input gives NaN.
/// </summary>
public sealed class MosaicKernel(MosaicMethod method, int inputs, int bands) : IBlockKernel
{
    private readonly InputGroup[] _groups = InputGroups.Layout(("images", inputs, bands), ("weights", method == MosaicMethod.Feather ? inputs : 0, 1));
    private float[] _count = [];

    private InputGroup Images => _groups[0];

    private InputGroup Weights => _groups[1];

    public void Process(RasterBlock block)
    {
        var n = block.PixelCount;
        for (var b = 0; b < bands; b++)
        {
            var output = block.Output(b);
            output.Fill(float.NaN);
            switch (method)
            {
                case MosaicMethod.First:
                    for (var i = inputs - 1; i >= 0; i--)
                    {
                        Overwrite(block.Input(Images, i, b), output);
                    }
                    break;
                case MosaicMethod.Last:
                    for (var i = 0; i < inputs; i++)
                    {
                        Overwrite(block.Input(Images, i, b), output);
                    }
                    break;
                case MosaicMethod.Min:
                case MosaicMethod.Max:
                    for (var i = 0; i < inputs; i++)
                    {
                        var input = block.Input(Images, i, b);
                        for (var p = 0; p < n; p++)
                        {
                            var v = input[p];
                            if (!float.IsNaN(v) && (float.IsNaN(output[p]) || (method == MosaicMethod.Min ? v < output[p] : v > output[p])))
                            {
                                output[p] = v;
                            }
                        }
                    }
                    break;
                case MosaicMethod.Mean:
                    Mean(block, b, output);
                    break;
                case MosaicMethod.Feather:
                    Feather(block, b, output);
                    break;
            }
        }
    }

    /// <summary>Valid values of <paramref name="input"/> replace what is in <paramref name="output"/>.</summary>
    private static void Overwrite(ReadOnlySpan<float> input, Span<float> output) => LaneLoop.Apply(new OverwriteStep(), input, output, output);

    /// <summary>The input where it is valid (not NaN), else what is there.</summary>
    private readonly struct OverwriteStep : ILaneStep2
    {
        public Vector<float> Vector(Vector<float> input, Vector<float> current) =>
            System.Numerics.Vector.ConditionalSelect(System.Numerics.Vector.Equals(input, input), input, current);

        public float Scalar(float input, float current) => float.IsNaN(input) ? current : input;
    }

    /// <summary>Σ weight × value / Σ weight over the valid values; a valid value with no weight counts only when
    /// nothing else is valid there.</summary>
    private void Feather(RasterBlock block, int band, Span<float> output)
    {
        var n = output.Length;
        if (_count.Length < n)
        {
            _count = new float[n];
        }
        var total = _count.AsSpan(0, n);
        total.Clear();
        output.Clear();
        for (var i = 0; i < inputs; i++)
        {
            var values = block.Input(Images, i, band);
            var weights = block.Input(Weights, i);
            for (var p = 0; p < n; p++)
            {
                var w = weights[p];
                if (!float.IsNaN(values[p]) && w > 0)
                {
                    output[p] += w * values[p];
                    total[p] += w;
                }
            }
        }
        for (var p = 0; p < n; p++)
        {
            output[p] = total[p] > 0 ? output[p] / total[p] : float.NaN;
        }
        // Valid somewhere but weightless everywhere (an edge pixel after resampling): the first valid value.
        for (var i = inputs - 1; i >= 0; i--)
        {
            var values = block.Input(Images, i, band);
            for (var p = 0; p < n; p++)
            {
                if (total[p] == 0 && !float.IsNaN(values[p]))
                {
                    output[p] = values[p];
                }
            }
        }
    }

    private void Mean(RasterBlock block, int band, Span<float> output)
    {
        var n = output.Length;
        if (_count.Length < n)
        {
            _count = new float[n];
        }
        var count = _count.AsSpan(0, n);
        count.Clear();
        output.Clear();
        for (var i = 0; i < inputs; i++)
        {
            var input = block.Input(Images, i, band);
            for (var p = 0; p < n; p++)
            {
                if (!float.IsNaN(input[p]))
                {
                    output[p] += input[p];
                    count[p]++;
                }
            }
        }
        for (var p = 0; p < n; p++)
        {
            output[p] = count[p] > 0 ? output[p] / count[p] : float.NaN;
        }
    }
}
