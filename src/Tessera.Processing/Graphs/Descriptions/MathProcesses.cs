using System.Text.Json.Nodes;
using static Tessera.Processing.Graphs.Descriptions.ProcessSchemas;

namespace Tessera.Processing.Graphs.Descriptions;

/// <summary>
/// openEO's arithmetic this server runs, on single numbers (what <c>apply</c> and the reducers' child processes call):
/// the four operations, absolute value, roots, powers and logarithms, clipping, the integer part, and a linear rescale
/// between two ranges. No data (<c>null</c>) in gives no data out; the computations follow IEEE 754 (a division by zero
/// gives an infinity).
/// </summary>
public static class MathProcesses
{
    public static IReadOnlyList<ProcessDescription> All { get; } =
    [
        Binary("add", "Sum of two numbers", "Adds `y` to `x`: *x + y*.", "The sum", "The first number.", "The number added.", ["math"]),
        Binary("subtract", "Difference of two numbers", "Subtracts `y` from `x`: *x - y*.", "The difference", "The number subtracted from.",
            "The number subtracted.", ["math"]),
        Binary("multiply", "Product of two numbers", "Multiplies `x` by `y`: *x × y*.", "The product", "The first factor.", "The second factor.", ["math"]),
        Binary("divide", "Quotient of two numbers", "Divides `x` by `y`: *x / y*. Dividing by zero gives an infinity (or, where infinities " +
            "cannot be represented, fails with `DivisionByZero`).", "The quotient", "The number divided.", "The number it is divided by.", ["math"]),
        Absolute(),
        Unary("sqrt", "Square root", "The non-negative number whose square is `x` (*x* to the power 0.5).", "The square root", "x", "The number.",
            ["math", "math > exponential & logarithmic"]),
        Binary("power", "Power", "Raises `base` to the power `p`: *base^p*.", "The power", "The base.", "The exponent.",
            ["math", "math > exponential & logarithmic"], "base", "p"),
        Unary("exp", "Exponential", "Raises *e* (Euler's number) to the power `p`.", "*e* to the power `p`", "p", "The exponent.",
            ["math > exponential & logarithmic"]),
        Unary("ln", "Natural logarithm", "The logarithm of `x` to the base *e*, the inverse of ``exp()``. The logarithm of 0 is minus " +
            "infinity (or, where infinities cannot be represented, an error).", "The natural logarithm", "x", "The number.",
            ["math > exponential & logarithmic"]),
        Binary("log", "Logarithm to a base", "The logarithm of `x` to the base `base`: the power the base must be raised to to give `x`. " +
            "The logarithm of 0 is minus infinity (or, where infinities cannot be represented, an error).", "The logarithm",
            "The number whose logarithm is computed.", "The base.", ["math > exponential & logarithmic"], "x", "base"),
        Clip(),
        Int(),
        LinearScaleRange(),
    ];

    private const string NodataNote = " No data (`null`) gives no data.";

    private static ProcessDescription Binary(string id, string summary, string description, string returns, string xText, string yText,
        string[] categories, string x = "x", string y = "y") =>
        new(id, summary, description + NodataNote, categories,
            [new(x, xText, Type("number", "null")), new(y, yText, Type("number", "null"))],
            returns + ", or `null` when either value is.", Type("number", "null"));

    private static ProcessDescription Unary(string id, string summary, string description, string returns, string x, string xText,
        string[] categories) =>
        new(id, summary, description + NodataNote, categories, [new(x, xText, Type("number", "null"))], returns + ".", Type("number", "null"));

    private static ProcessDescription Absolute() => new("absolute", "Absolute value",
        "The value of `x` without its sign: *|x|*." + NodataNote, ["math"],
        [new("x", "The number.", Type("number", "null"))],
        "The absolute value, 0 or more.", new JsonObject { ["type"] = new JsonArray("number", "null"), ["minimum"] = 0 });

    private static ProcessDescription Clip() => new("clip", "Clip a number to a range",
        "Gives `min` for a number below it, `max` for one above it, and the number itself otherwise." + NodataNote, ["math"],
        [
            new("x", "The number.", Type("number", "null")),
            new("min", "The lower bound.", Type("number")),
            new("max", "The upper bound.", Type("number")),
        ],
        "The number within the range.", Type("number", "null"));

    private static ProcessDescription Int() => new("int", "Integer part",
        "Drops the fractional part of `x`, towards zero: -1.5 gives -1 (rounding down would give -2)." + NodataNote,
        ["math", "math > rounding"],
        [new("x", "The number.", Type("number", "null"))],
        "The integer part.", Type("integer", "null"));

    private static ProcessDescription LinearScaleRange() => new("linear_scale_range", "Rescale a number from one range to another",
        "Maps `x` from the input range to the output range linearly: *(x - inputMin) / (inputMax - inputMin) × (outputMax - outputMin) " +
        "+ outputMin*, after clipping `x` to the input range, so the result never leaves the output range. For example 0 to 255 for a colour " +
        "channel, or 0 to 100 for percentages." + NodataNote,
        ["math"],
        [
            new("x", "The number to rescale.", Type("number", "null")),
            new("inputMin", "The lower bound of the input range.", Type("number")),
            new("inputMax", "The upper bound of the input range.", Type("number")),
            new("outputMin", "The lower bound of the output range.", Type("number"), Optional: true, Default: 0),
            new("outputMax", "The upper bound of the output range.", Type("number"), Optional: true, Default: 1),
        ],
        "The rescaled number.", Type("number", "null"));
}
