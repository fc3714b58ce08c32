using System.Text.Json.Nodes;

namespace Tessera.Host.Radcor;

/// <summary>
/// The <c>args</c> each step takes, checked when the request comes: download <c>assets</c> (keys; default all);
/// correction <c>method</c> (<c>toa</c>, the default: top-of-atmosphere reflectance; <c>dos</c>: surface reflectance by
/// dark-object subtraction); publish <c>indexes</c> (default NDVI and EVI, where the bands are there); post <c>action</c>
/// (<c>archive</c>: the item's files as one tar.gz asset; <c>convert</c>: its products as COG assets; <c>crop</c>: its
/// rasters cut to <c>bbox</c>, west, south, east, north in longitude and latitude); harmonization none.
/// </summary>
public static class RadcorArgs
{
    public static readonly IReadOnlyList<string> Methods = ["toa", "dos"];
    public static readonly IReadOnlyList<string> PostActions = ["archive", "convert", "crop"];
    public static readonly IReadOnlyList<string> DefaultIndexes = ["NDVI", "EVI"];

    private static readonly IReadOnlyDictionary<string, string[]> Known = new Dictionary<string, string[]>
    {
        [RadcorStep.Download] = ["assets"],
        [RadcorStep.Correction] = ["method"],
        [RadcorStep.Publish] = ["indexes"],
        [RadcorStep.Post] = ["action", "bbox"],
        [RadcorStep.Harmonization] = [],
    };

    public static void Check(string type, JsonObject args, string field)
    {
        foreach (var (key, _) in args)
        {
            if (!Known[type].Contains(key))
            {
                throw new RadcorException(Known[type].Length == 0
                    ? $"{field}.{key}: a {type} step takes no args"
                    : $"{field}.{key}: not an arg of a {type} step (it takes {string.Join(", ", Known[type])})");
            }
        }
        switch (type)
        {
            case RadcorStep.Download when args["assets"] is not null:
                _ = Strings(args["assets"], $"{field}.assets");
                break;
            case RadcorStep.Correction:
                _ = Choice(args["method"], Methods, "toa", $"{field}.method");
                break;
            case RadcorStep.Publish when args["indexes"] is not null:
                foreach (var index in Strings(args["indexes"], $"{field}.indexes"))
                {
                    if (Processing.Indices.SpectralIndices.Find(index) is null)
                    {
                        throw new RadcorException($"{field}.indexes: '{index}' is not an index Tessera computes");
                    }
                }
                break;
            case RadcorStep.Post:
                if (args["action"] is null)
                {
                    throw new RadcorException($"{field}.action: give {string.Join(" or ", PostActions)}");
                }
                var action = Choice(args["action"], PostActions, "", $"{field}.action");
                if ((action == "crop") != (args["bbox"] is not null))
                {
                    throw new RadcorException(action == "crop" ? $"{field}.bbox: give the box to crop to: [west, south, east, north] in longitude and latitude"
                        : $"{field}.bbox: only a crop takes a box");
                }
                if (action == "crop")
                {
                    _ = Box(args, $"{field}.bbox");
                }
                break;
        }
    }

    /// <summary>The correction's method (toa by default).</summary>
    public static string Method(JsonObject args) => Choice(args["method"], Methods, "toa", "args.method");

    /// <summary>The indexes a publish adds.</summary>
    public static IReadOnlyList<string> Indexes(JsonObject args) => args["indexes"] is { } given ? Strings(given, "args.indexes") : DefaultIndexes;

    public static IReadOnlyList<string>? Assets(JsonObject args) => args["assets"] is { } given ? Strings(given, "args.assets") : null;

    public static string PostAction(JsonObject args) => Choice(args["action"], PostActions, "", "args.action");

    /// <summary>A crop's box: west, south, east, north in longitude and latitude.</summary>
    public static double[] Box(JsonObject args, string field = "args.bbox") =>
        args["bbox"] is JsonArray a && a.Count == 4 && a.All(v => v is JsonValue n && n.TryGetValue<double>(out _))
        && a[0]!.GetValue<double>() < a[2]!.GetValue<double>() && a[1]!.GetValue<double>() < a[3]!.GetValue<double>()
            ? a.Select(v => v!.GetValue<double>()).ToArray()
            : throw new RadcorException($"{field}: give [west, south, east, north] in longitude and latitude, west below east and south below north");

    private static string Choice(JsonNode? value, IReadOnlyList<string> choices, string fallback, string field) => value switch
    {
        null => fallback,
        JsonValue v when v.TryGetValue<string>(out var s) && choices.Contains(s) => s,
        _ => throw new RadcorException($"{field}: give {string.Join(" or ", choices)}"),
    };

    private static IReadOnlyList<string> Strings(JsonNode? value, string field) =>
        value is JsonArray a && a.All(i => i is JsonValue v && v.TryGetValue<string>(out _))
            ? a.Select(i => i!.GetValue<string>()).ToList()
            : throw new RadcorException($"{field}: give a list of strings");
}
