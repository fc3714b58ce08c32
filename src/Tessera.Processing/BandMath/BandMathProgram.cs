namespace Tessera.Processing.BandMath;

/// <summary>
/// A checked, compiled expression: a list of <see cref="Instruction"/>s over numbered slots. Slots
/// 0..InputCount-1 are the bands, then the constants, then temporaries. Immutable; evaluate it with
/// <see cref="BandMathEvaluator"/>.
/// </summary>
public sealed class BandMathProgram
{
    internal BandMathProgram(string expression, IReadOnlyList<string> inputs, IReadOnlyList<float> constants,
        int temporaries, IReadOnlyList<Instruction> instructions, int result, IReadOnlyList<int> referencedInputs)
    {
        Expression = expression;
        Inputs = inputs;
        Constants = constants;
        Temporaries = temporaries;
        Instructions = instructions;
        Result = result;
        ReferencedInputs = referencedInputs;
    }

    public string Expression { get; }

    /// <summary>The band names, in slot order.</summary>
    public IReadOnlyList<string> Inputs { get; }

    public IReadOnlyList<float> Constants { get; }

    public int Temporaries { get; }

    public IReadOnlyList<Instruction> Instructions { get; }

    /// <summary>The slot that holds the result.</summary>
    public int Result { get; }

    /// <summary>Inputs the expression uses; nodata in any of them is nodata in the result.</summary>
    public IReadOnlyList<int> ReferencedInputs { get; }

    public int SlotCount => Inputs.Count + Constants.Count + Temporaries;

    public bool IsConstantSlot(int slot) => slot >= Inputs.Count && slot < Inputs.Count + Constants.Count;

    /// <summary>Parses, checks and compiles <paramref name="expression"/> over the named bands and named constants
    /// (coefficients such as SAVI's L; a band of the same name wins).</summary>
    public static BandMathProgram Compile(string expression, IReadOnlyList<string> bandNames, IReadOnlyDictionary<string, double>? constants = null) =>
        BandMathCompiler.Compile(expression, bandNames, constants);

    /// <summary>Evaluates the program on single values (the definition the vector path is tested against).</summary>
    public float EvaluateScalar(ReadOnlySpan<float> inputs)
    {
        var slots = new float[SlotCount];
        inputs[..Inputs.Count].CopyTo(slots);
        for (var i = 0; i < Constants.Count; i++)
        {
            slots[Inputs.Count + i] = Constants[i];
        }
        foreach (var ins in Instructions)
        {
            slots[ins.Destination] = Operations.Scalar(ins.Op, slots[ins.A],
                ins.B >= 0 ? slots[ins.B] : 0, ins.C >= 0 ? slots[ins.C] : 0);
        }
        var value = slots[Result];
        foreach (var input in ReferencedInputs)
        {
            if (float.IsNaN(inputs[input]))
            {
                return float.NaN;
            }
        }
        return float.IsFinite(value) ? value : float.NaN;
    }
}
