namespace Tessera.Processing.Operations;

/// <summary>What a parameter's value is. Lists and boxes are given as JSON arrays or as comma-separated text.</summary>
public enum ParameterType
{
    Number,
    Integer,
    Boolean,
    Text,
    Choice,
    GeoJson,
    Crs,
    NumberList,
    IntegerList,
    Box,
    Formula,

    /// <summary>The id of a vector file of the caller's in the file store (zones: GeoJSON, GeoPackage, zipped shapefile).</summary>
    StoredFile,
}

/// <summary>
/// A parameter of an operation: its name, type, what it does, its default (null: none, the operation decides from its
/// inputs), the range a number must be in, the values a choice allows, and the unit of a quantity.
/// </summary>
public sealed record Parameter(string Name, ParameterType Type, string Description)
{
    public object? Default { get; init; }

    public double? Minimum { get; init; }

    public double? Maximum { get; init; }

    /// <summary>Whether <see cref="Minimum"/> itself is excluded (a positive number).</summary>
    public bool MinimumExcluded { get; init; }

    public IReadOnlyList<string>? Choices { get; init; }

    public string? Unit { get; init; }

    /// <summary>Whether the task cannot go without it.</summary>
    public bool Required { get; init; }

    /// <summary>What a value must be, as error messages say it ("a whole number, 0 or more").</summary>
    public string Expected => Type switch
    {
        ParameterType.Number => "a " + Ranged("number"),
        ParameterType.Integer => "a " + Ranged("whole number"),
        ParameterType.Boolean => "true or false",
        ParameterType.Choice => "one of " + Listing.Or(Choices ?? []),
        ParameterType.GeoJson => "a GeoJSON object (FeatureCollection, Feature or geometry)",
        ParameterType.Crs => "a CRS (EPSG:n, WKT or PROJ)",
        ParameterType.NumberList => "numbers, e.g. 0.2,0.3,0.5",
        ParameterType.IntegerList => "whole numbers, e.g. 3,8,9",
        ParameterType.Box => "west,south,east,north",
        ParameterType.Formula => "a formula, e.g. (nir - red) / (nir + red)",
        ParameterType.StoredFile => "the id of a stored vector file (GeoJSON, GeoPackage or zipped shapefile)",
        _ => "a text",
    };

    private string Ranged(string noun) => (Minimum, Maximum) switch
    {
        ({ } min, { } max) => $"{noun} from {Format(min)} to {Format(max)}",
        (0, null) when MinimumExcluded => "positive " + noun,
        ({ } min, null) => $"{noun}, {Format(min)} or more" + (MinimumExcluded ? " (not itself)" : ""),
        (null, { } max) => $"{noun}, {Format(max)} or less",
        _ => noun,
    };

    private static string Format(double value) => value.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>Lists as messages say them: "a, b or c".</summary>
public static class Listing
{
    public static string Or(IReadOnlyList<string> items) => Join(items, "or");

    public static string And(IReadOnlyList<string> items) => Join(items, "and");

    private static string Join(IReadOnlyList<string> items, string last) => items.Count switch
    {
        0 => "",
        1 => items[0],
        _ => $"{string.Join(", ", items.Take(items.Count - 1))} {last} {items[^1]}",
    };
}
