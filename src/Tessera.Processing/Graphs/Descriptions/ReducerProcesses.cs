using System.Text.Json.Nodes;
using static Tessera.Processing.Graphs.Descriptions.ProcessSchemas;

namespace Tessera.Processing.Graphs.Descriptions;

/// <summary>
/// openEO's reducers this server runs (what <c>reduce_dimension</c>, <c>aggregate_temporal_period</c> and
/// <c>aggregate_spatial</c> call to turn a list of values into one): statistics, first and last, counting, and taking
/// one element of an array.
/// </summary>
public static class ReducerProcesses
{
    public static IReadOnlyList<ProcessDescription> All { get; } =
    [
        Statistic("min", "Smallest value", "The smallest of the numbers.", "The smallest value", ["math", "math > statistics", "reducer"]),
        Statistic("max", "Largest value", "The largest of the numbers.", "The largest value", ["math", "math > statistics", "reducer"]),
        Statistic("mean", "Arithmetic mean", "The arithmetic mean of the numbers: their sum divided by how many there are.", "The mean",
            ["math > statistics", "reducer"]),
        Statistic("median", "Median", "The median of the numbers: the middle one once sorted, or the mean of the two middle ones when there " +
            "are an even number of them.", "The median", ["math > statistics", "reducer"]),
        Element("first", "First element of an array", "The first element of an array."),
        Element("last", "Last element of an array", "The last element of an array."),
        Statistic("sum", "Sum", "The sum of the numbers.", "The sum", ["math", "reducer"]),
        Count(),
        Statistic("sd", "Standard deviation", "The sample standard deviation of the numbers: the square root of the sum of their squared " +
            "differences from the mean, divided by one less than how many there are.", "The standard deviation", ["math > statistics", "reducer"]),
        ArrayElement(),
    ];

    private static ProcessParameter IgnoreNodata(string whenConsidered) => new("ignore_nodata",
        $"Whether no-data values (`null`) are left out; when they are not, {whenConsidered}.", Type("boolean"), Optional: true, Default: true);

    private static ProcessDescription Statistic(string id, string summary, string description, string returns, string[] categories) =>
        new(id, summary, description + " An array with no value but `null` gives `null`.", categories,
            [
                new("data", "The numbers (`null` for no data).", Numbers()),
                IgnoreNodata("any no-data value makes the result `null`"),
            ],
            returns + ", or `null`.", Type("number", "null"));

    private static ProcessDescription Element(string id, string summary, string description) =>
        new(id, summary, description + " An array with no element but `null` gives `null`.", ["arrays", "reducer"],
            [
                new("data", "An array of any values.", Values()),
                IgnoreNodata($"`null` is the result when the {id} element is `null`"),
            ],
            $"The {id} element.", Any());

    private static ProcessDescription Count() => new("count", "Count the elements that meet a condition",
        "How many elements of an array meet a condition. By default the valid ones are counted (not `null`, not NaN, not infinite); with " +
        "the condition `true`, all of them.",
        ["arrays", "math > statistics", "reducer"],
        [
            new("data", "An array of any values.", Values()),
            new("condition", "A child process that answers `true` for the elements to count; `true` to count all elements; `null`: the valid " +
                "elements. (`false` is not a value.)",
                OneOf(
                    Titled(ChildProcess([new ProcessParameter("x", "The element.", Any()), ChildContext()], "`true` to count the element.", Type("boolean")),
                        "Condition"),
                    Titled(new JsonObject { ["type"] = "boolean", ["const"] = true }, "All elements"),
                    Null("Valid elements", "Count the valid elements.")),
                Optional: true),
            Context("condition"),
        ],
        "How many elements were counted.", Type("number"));

    private static ProcessDescription ArrayElement() => new("array_element", "One element of an array",
        "The element of an array at a position (`index`) or with a label (`label`, for a labelled array such as the values a reducer gets " +
        "along a bands dimension). Give exactly one of them: neither fails with `ArrayElementParameterMissing`, both with " +
        "`ArrayElementParameterConflict`.",
        ["arrays", "reducer"],
        [
            new("data", "The array.", Values()),
            new("index", "The element's position, from 0.", new JsonObject { ["type"] = "integer", ["minimum"] = 0 }, Optional: true)
            {
                WithoutDefault = true,
            },
            new("label", "The element's label; on an array without labels, fails with `ArrayNotLabeled`.", OneOf(Type("number"), Type("string")),
                Optional: true)
            {
                WithoutDefault = true,
            },
            new("return_nodata", "Whether a position or label the array does not have gives `null` instead of failing with " +
                "`ArrayElementNotAvailable`.", Type("boolean"), Optional: true, Default: false),
        ],
        "The element.", Any());
}
