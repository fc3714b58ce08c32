namespace Tessera.Processing.BandMath;

/// <summary>The functions of the expression language and how many arguments each takes.</summary>
internal static class Functions
{
    public sealed record Signature(string Name, int MinArgs, int MaxArgs, string Usage);

    public static readonly IReadOnlyDictionary<string, Signature> All = new Dictionary<string, Signature>(StringComparer.Ordinal)
    {
        ["abs"] = new("abs", 1, 1, "abs(x)"),
        ["sqrt"] = new("sqrt", 1, 1, "sqrt(x)"),
        ["exp"] = new("exp", 1, 1, "exp(x)"),
        ["log"] = new("log", 1, 1, "log(x), the natural logarithm"),
        ["min"] = new("min", 2, int.MaxValue, "min(a, b, ...)"),
        ["max"] = new("max", 2, int.MaxValue, "max(a, b, ...)"),
        ["clamp"] = new("clamp", 3, 3, "clamp(x, low, high)"),
        ["where"] = new("where", 3, 3, "where(condition, then, else)"),
    };
}
