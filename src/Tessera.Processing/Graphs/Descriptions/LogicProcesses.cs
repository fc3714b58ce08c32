using static Tessera.Processing.Graphs.Descriptions.ProcessSchemas;

namespace Tessera.Processing.Graphs.Descriptions;

/// <summary>
/// openEO's comparisons and logic this server runs: equality and order, and, or, not, the conditional <c>if</c>, and the
/// checks for no data and for values that are not numbers. A comparison with no data (<c>null</c>) gives <c>null</c>.
/// </summary>
public static class LogicProcesses
{
    private const string Operand = "A number, boolean or text (or `null`).";

    /// <summary>What comparisons take (set before <see cref="All"/>, which uses it).</summary>
    private static readonly string[] Comparable = ["number", "boolean", "string", "null"];

    public static IReadOnlyList<ProcessDescription> All { get; } =
    [
        Equality("eq", "Equal", "Whether `x` equals `y`", "`true` when they are equal"),
        Equality("neq", "Not equal", "Whether `x` differs from `y`", "`true` when they differ"),
        Order("gt", "Greater than", "Whether `x` is greater than `y`", "`true` when `x` is greater"),
        Order("gte", "Greater than or equal", "Whether `x` is greater than or equal to `y`", "`true` when `x` is greater or equal", orEqual: true),
        Order("lt", "Less than", "Whether `x` is less than `y`", "`true` when `x` is less"),
        Order("lte", "Less than or equal", "Whether `x` is less than or equal to `y`", "`true` when `x` is less or equal", orEqual: true),
        Logic("and", "Logical and", "`true` when both values are `true`, `false` when either is `false`; otherwise (a `null` and no `false`) " +
            "`null`. `y` is not evaluated when `x` decides."),
        Logic("or", "Logical or", "`true` when either value is `true`, `false` when both are `false`; otherwise (a `null` and no `true`) " +
            "`null`. `y` is not evaluated when `x` decides."),
        Not(),
        If(),
        IsNodata(),
        IsNan(),
    ];

    private static ProcessDescription Equality(string id, string summary, string question, string answer) =>
        new(id, summary,
            question + ", types compared strictly: the text `1` is not the number 1, but the integer 1 equals the number 1.0. Dates and " +
            "times are compared as texts.",
            ["texts", "comparison"],
            [
                new("x", Operand, Type(Comparable)),
                new("y", Operand, Type(Comparable)),
                new("delta", "For two numbers: the largest difference that still counts as equal (absorbs rounding errors); `null`: exact.",
                    Type("number", "null"), Optional: true),
                new("case_sensitive", "For two texts: whether upper and lower case differ.", Type("boolean"), Optional: true, Default: true),
            ],
            answer + ", `null` when either is `null`, otherwise `false`.", Type("boolean", "null"));

    private static ProcessDescription Order(string id, string summary, string question, string answer, bool orEqual = false) =>
        new(id, summary,
            question + ". Only numbers are ordered: " + (orEqual ? "values that are not equal (as ``eq()`` says) and not both numbers give " : "any value that is not a number gives ") +
            "`false`. Dates and times are texts here, not instants.",
            ["comparison"],
            [new("x", Operand, Type(Comparable)), new("y", Operand, Type(Comparable))],
            answer + ", `null` when either is `null`, otherwise `false`.", Type("boolean", "null"));

    private static ProcessDescription Logic(string id, string summary, string description) =>
        new(id, summary, description, ["logic"],
            [new("x", "A boolean (or `null`).", Type("boolean", "null")), new("y", "A boolean (or `null`).", Type("boolean", "null"))],
            "The outcome.", Type("boolean", "null"));

    private static ProcessDescription Not() => new("not", "Logical not",
        "`false` for `true`, `true` for `false`, `null` for `null`.", ["logic"],
        [new("x", "A boolean (or `null`).", Type("boolean", "null"))],
        "The opposite value.", Type("boolean", "null"));

    private static ProcessDescription If() => new("if", "Choose a value by a condition",
        "Gives `accept` when `value` is `true`, and `reject` otherwise (`false` or `null`).", ["logic", "comparison", "masks"],
        [
            new("value", "The condition.", Type("boolean", "null")),
            new("accept", "What the process gives when the condition is `true`.", Any()),
            new("reject", "What the process gives otherwise; `null` by default.", Any(), Optional: true),
        ],
        "`accept` or `reject`.", Any());

    private static ProcessDescription IsNodata() => new("is_nodata", "Whether a value is no data",
        "`true` for `null` and for the no-data values the metadata declares; NaN counts only when the metadata declares it.", ["comparison"],
        [new("x", "The value to check.", Any())],
        "`true` for no data, otherwise `false`.", Type("boolean"));

    private static ProcessDescription IsNan() => new("is_nan", "Whether a value is not a number",
        "`true` for NaN (IEEE 754's not-a-number) and for any value that is not a number; `false` for every other number.",
        ["comparison", "math > constants"],
        [new("x", "The value to check.", Any())],
        "`true` when the value is not a number, otherwise `false`.", Type("boolean"));
}
