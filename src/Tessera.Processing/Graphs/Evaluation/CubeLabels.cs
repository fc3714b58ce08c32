using System.Globalization;
using Tessera.Processing.Graphs.Cubes;

namespace Tessera.Processing.Graphs.Evaluation;

/// <summary>
/// The processes on a cube's labels: renaming them (<c>rename_labels</c>), and grouping the times into calendar
/// periods each reduced to one value per pixel (<c>aggregate_temporal_period</c>).
/// </summary>
public static class CubeLabels
{
    /// <summary>The periods <c>aggregate_temporal_period</c> groups by here.</summary>
    public static readonly string[] Periods = ["day", "week", "month", "year"];

    /// <summary>
    /// The labels of <c>bands</c> or <c>t</c> renamed, source[i] to target[i] (without source: the labels are taken as
    /// numbered 0, 1, ... and target gives the new name of each); order and values unchanged.
    /// </summary>
    public static DataCube RenameLabels(DataCube cube, string dimension, IReadOnlyList<string> target, IReadOnlyList<string> source, Arguments a)
    {
        var labels = dimension switch
        {
            "bands" when cube.Bands is not null => cube.Bands,
            "t" when cube.Times is not null => cube.Times,
            _ => throw new GraphException("DimensionNotAvailable",
                $"the cube has no dimension '{dimension}' whose labels can be renamed (it has x, y{(cube.Times is null ? "" : ", t")}{(cube.Bands is null ? "" : ", bands")})",
                a.Node, "dimension"),
        };
        var renamed = labels.ToList();
        if (source.Count == 0)
        {
            if (target.Count != labels.Count)
            {
                throw new GraphException("LabelMismatch", $"{target.Count} target labels for the {labels.Count} labels of '{dimension}'", a.Node, "target");
            }
            renamed = target.ToList();
        }
        else
        {
            if (target.Count != source.Count)
            {
                throw new GraphException("LabelMismatch", $"{target.Count} target labels for {source.Count} source labels", a.Node, "target");
            }
            for (var i = 0; i < source.Count; i++)
            {
                var index = labels.ToList().IndexOf(source[i]);
                if (index < 0)
                {
                    throw new GraphException("LabelNotAvailable", $"'{source[i]}' is not a label of '{dimension}' (it has {string.Join(", ", labels)})", a.Node, "source");
                }
                renamed[index] = target[i];
            }
        }
        var duplicate = renamed.GroupBy(l => l, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
        {
            throw new GraphException("LabelExists", $"'{duplicate.Key}' would name two labels of '{dimension}'", a.Node, "target");
        }
        if (dimension == "t")
        {
            return cube with { Times = renamed };
        }
        var common = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var b = 0; b < labels.Count; b++)
        {
            if (cube.CommonNames.TryGetValue(labels[b], out var name))
            {
                common[renamed[b]] = name;
            }
        }
        return cube with { Bands = renamed, CommonNames = common };
    }

    /// <summary>
    /// The times grouped by calendar period (day, week, month or year), the values of each group reduced by the
    /// reducer like <c>reduce_dimension</c> does; the new labels are the periods' as openEO writes them (<c>YYYY-DDD</c>,
    /// <c>YYYY-WW</c> in ISO weeks, <c>YYYY-MM</c>, <c>YYYY</c>), every period from the first time's to the last's.
    /// </summary>
    public static DataCube AggregateTemporalPeriod(DataCube cube, string period, ProcessGraph reducer, string? dimension, Arguments a)
    {
        if (!Periods.Contains(period))
        {
            throw new GraphException("ProcessArgumentInvalid", $"period '{period}' is not one this server aggregates by ({string.Join(", ", Periods)})", a.Node, "period");
        }
        if (dimension is not null && dimension != "t" || cube.Times is null)
        {
            throw new GraphException("DimensionNotAvailable", $"the cube has no temporal dimension '{dimension ?? "t"}'", a.Node, dimension is null ? "data" : "dimension");
        }
        var times = cube.Times.Select(t => DateTimeOffset.Parse(t, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal).UtcDateTime)
            .ToList();
        if (times.Count == 0)
        {
            throw new GraphException("ProcessArgumentInvalid", "the cube has no times to aggregate", a.Node, "data");
        }
        var starts = times.Select(t => Start(t, period)).ToList();
        var labels = new List<string>();
        var groups = new List<List<int>>();
        for (var start = starts.Min(); start <= starts.Max(); start = Next(start, period))
        {
            labels.Add(Label(start, period));
            groups.Add(Enumerable.Range(0, times.Count).Where(t => starts[t] == start).ToList());
        }
        var values = new List<PixelExpr>();
        for (var g = 0; g < groups.Count; g++)
        {
            for (var b = 0; b < cube.BandCount; b++)
            {
                var group = groups[g];
                if (group.Count == 0)
                {
                    values.Add(new Constant(double.NaN));
                    continue;
                }
                var series = group.Select(t => cube.Value(t, b)).ToList();
                try
                {
                    values.Add(CallbackCompiler.Compile(reducer, new Dictionary<string, object>
                    {
                        ["data"] = new CallbackCompiler.ValueArray(series, group.Select(t => cube.Times[t]).ToList()),
                    }, a.Node));
                }
                catch (GraphException e)
                {
                    throw new GraphException(e.Code, $"in its callback: {e.Message}", a.Node, "reducer");
                }
            }
        }
        return cube with { Times = labels, Values = values };
    }

    private static DateTime Start(DateTime time, string period) => period switch
    {
        "day" => time.Date,
        "week" => time.Date.AddDays(-(((int)time.DayOfWeek + 6) % 7)),
        "month" => new DateTime(time.Year, time.Month, 1, 0, 0, 0, DateTimeKind.Utc),
        _ => new DateTime(time.Year, 1, 1, 0, 0, 0, DateTimeKind.Utc),
    };

    private static DateTime Next(DateTime start, string period) => period switch
    {
        "day" => start.AddDays(1),
        "week" => start.AddDays(7),
        "month" => start.AddMonths(1),
        _ => start.AddYears(1),
    };

    private static string Label(DateTime start, string period) => period switch
    {
        "day" => $"{start.Year:0000}-{start.DayOfYear:000}",
        "week" => $"{ISOWeek.GetYear(start):0000}-{ISOWeek.GetWeekOfYear(start):00}",
        "month" => $"{start.Year:0000}-{start.Month:00}",
        _ => $"{start.Year:0000}",
    };
}
