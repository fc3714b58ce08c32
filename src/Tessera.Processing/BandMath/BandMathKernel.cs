using Tessera.Raster.Blocks;

namespace Tessera.Processing.BandMath;

/// <summary>Block kernel computing one output band per program from the block's inputs.</summary>
public sealed class BandMathKernel : IBlockKernel
{
    private readonly BandMathEvaluator[] _evaluators;
    private float[][] _inputs = [];

    public BandMathKernel(IReadOnlyList<BandMathProgram> programs)
    {
        _evaluators = programs.Select(p => new BandMathEvaluator(p)).ToArray();
    }

    public void Process(RasterBlock block)
    {
        if (_inputs.Length != block.InputCount)
        {
            _inputs = new float[block.InputCount][];
        }
        // The evaluator takes arrays (spans cannot be kept in a list); the block's buffers are arrays.
        for (var i = 0; i < block.InputCount; i++)
        {
            _inputs[i] = block.InputArray(i);
        }
        for (var o = 0; o < _evaluators.Length; o++)
        {
            _evaluators[o].Evaluate(_inputs, block.PixelCount, block.Output(o));
        }
    }
}
