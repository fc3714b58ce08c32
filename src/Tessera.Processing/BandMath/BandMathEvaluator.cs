using Tessera.Raster.Kernels;

namespace Tessera.Processing.BandMath;

/// <summary>
/// Runs a <see cref="BandMathProgram"/> over spans, a cache-sized chunk at a time so that temporaries stay in
/// L1/L2 instead of streaming whole blocks through memory once per operation. Owns its scratch buffers: one
/// evaluator per thread.
/// </summary>
public sealed class BandMathEvaluator
{
    /// <summary>Values per chunk: 16 KiB per temporary.</summary>
    public const int ChunkSize = 4096;

    private readonly BandMathProgram _program;
    private readonly float[][] _constants;
    private readonly float[][] _temporaries;
    private readonly Instruction[] _instructions;

    public BandMathEvaluator(BandMathProgram program)
    {
        _program = program;
        _constants = program.Constants.Select(c => Enumerable.Repeat(c, ChunkSize).ToArray()).ToArray();
        _temporaries = Enumerable.Range(0, program.Temporaries).Select(_ => new float[ChunkSize]).ToArray();
        _instructions = program.Instructions.ToArray();
    }

    public BandMathProgram Program => _program;

    /// <summary>
    /// destination[i] = expression(inputs[*][i]); NaN wherever a referenced input is NaN (nodata) or the result
    /// is not finite (division by zero, log of a negative, ...).
    /// </summary>
    public void Evaluate(IReadOnlyList<float[]> inputs, int length, Span<float> destination)
    {
        if (inputs.Count != _program.Inputs.Count)
        {
            throw new ArgumentException($"expected {_program.Inputs.Count} inputs, got {inputs.Count}");
        }
        for (var offset = 0; offset < length; offset += ChunkSize)
        {
            var n = Math.Min(ChunkSize, length - offset);
            var output = destination.Slice(offset, n);
            for (var k = 0; k < _instructions.Length; k++)
            {
                var ins = _instructions[k];
                Operations.Apply(ins.Op, Slot(inputs, ins.A, offset, n), Slot(inputs, ins.B, offset, n),
                    Slot(inputs, ins.C, offset, n), Temporary(ins.Destination, n));
            }
            // One pass: result, nodata of the first two referenced inputs, non-finite values; then any others.
            var referenced = _program.ReferencedInputs;
            PixelKernels.Finish(Slot(inputs, _program.Result, offset, n),
                referenced.Count > 0 ? inputs[referenced[0]].AsSpan(offset, n) : default,
                referenced.Count > 1 ? inputs[referenced[1]].AsSpan(offset, n) : default,
                output);
            for (var r = 2; r < referenced.Count; r++)
            {
                PixelKernels.PropagateNaN(inputs[referenced[r]].AsSpan(offset, n), output);
            }
        }
    }

    private ReadOnlySpan<float> Slot(IReadOnlyList<float[]> inputs, int slot, int offset, int n)
    {
        if (slot < 0)
        {
            return default;
        }
        var inputCount = _program.Inputs.Count;
        if (slot < inputCount)
        {
            return inputs[slot].AsSpan(offset, n);
        }
        if (slot < inputCount + _constants.Length)
        {
            return _constants[slot - inputCount].AsSpan(0, n);
        }
        return _temporaries[slot - inputCount - _constants.Length].AsSpan(0, n);
    }

    private Span<float> Temporary(int slot, int n) =>
        _temporaries[slot - _program.Inputs.Count - _constants.Length].AsSpan(0, n);
}
