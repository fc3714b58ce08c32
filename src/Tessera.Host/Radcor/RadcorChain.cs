using System.Text.Json.Nodes;

namespace Tessera.Host.Radcor;

/// <summary>
/// The collection builder's <c>tasks</c>: each a step (<c>type</c>: download, correction, publish, post or
/// harmonization) writing into a catalog collection (<c>collection</c>) with its <c>args</c>, and the steps after it
/// (<c>tasks</c>): an object is the one next step (a chain), an array steps run side by side (a group), each after it.
/// </summary>
public sealed record RadcorStep(string Type, string Collection, JsonObject Args, IReadOnlyList<RadcorStep> Next)
{
    public const string Download = "download";
    public const string Correction = "correction";
    public const string Publish = "publish";
    public const string Post = "post";
    public const string Harmonization = "harmonization";

    public static readonly IReadOnlyList<string> Types = [Download, Correction, Publish, Post, Harmonization];

    private static readonly string[] Fields = ["type", "collection", "args", "tasks"];

    /// <summary>The steps of a request's <c>tasks</c> (an object or an array); <see cref="RadcorException"/> naming the field at fault.</summary>
    public static IReadOnlyList<RadcorStep> Parse(JsonNode? tasks, string field = "tasks") => tasks switch
    {
        JsonObject step => [One(step, field)],
        JsonArray steps when steps.Count > 0 => steps.Select((s, i) => s is JsonObject o ? One(o, $"{field}[{i}]")
            : throw new RadcorException($"{field}[{i}]: give a step: {{\"type\", \"collection\", \"args\", \"tasks\"}}")).ToList(),
        JsonArray => field == "tasks" ? throw new RadcorException("tasks: give at least one step") : [],
        null => field == "tasks" ? throw new RadcorException("tasks: give the steps to run on each scene, starting with a download") : [],
        _ => throw new RadcorException($"{field}: give a step (an object) or steps run side by side (an array)"),
    };

    private static RadcorStep One(JsonObject step, string field)
    {
        foreach (var (key, _) in step)
        {
            if (!Fields.Contains(key))
            {
                throw new RadcorException($"{field}.{key}: not a field of a step (known: {string.Join(", ", Fields)})");
            }
        }
        var type = step["type"] is JsonValue t && t.TryGetValue<string>(out var typeName) ? typeName
            : throw new RadcorException($"{field}.type: give one of {string.Join(", ", Types)}");
        if (!Types.Contains(type))
        {
            throw new RadcorException($"{field}.type: '{type}' is not one of {string.Join(", ", Types)}");
        }
        var collection = step["collection"] is JsonValue c && c.TryGetValue<string>(out var id) && id.Trim().Length > 0 ? id.Trim()
            : throw new RadcorException($"{field}.collection: give the catalog collection the step writes into (e.g. LC8_DN-1)");
        if (collection.Length > 100 || collection.Any(ch => !(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.')))
        {
            throw new RadcorException($"{field}.collection: '{collection}' is not a collection id (letters, digits, _ - and .)");
        }
        var args = step["args"] switch
        {
            null => new JsonObject(),
            JsonObject o => (JsonObject)o.DeepClone(),
            _ => throw new RadcorException($"{field}.args: give an object"),
        };
        RadcorArgs.Check(type, args, $"{field}.args");
        return new RadcorStep(type, collection, args, Parse(step["tasks"], $"{field}.tasks"));
    }

    /// <summary>This step and every step after it, each with the step it comes after (null for this one).</summary>
    public IEnumerable<(RadcorStep Step, RadcorStep? After)> Walk(RadcorStep? after = null)
    {
        yield return (this, after);
        foreach (var next in Next)
        {
            foreach (var pair in next.Walk(this))
            {
                yield return pair;
            }
        }
    }
}

/// <summary>A radcor request that cannot be run as given (the caller's error: a 400).</summary>
public sealed class RadcorException(string message) : Exception(message);
