using System.Globalization;
using System.Text.Json.Nodes;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tessera.Catalog.Harvest;

/// <summary>
/// The harvest configuration file (<c>harvestConfig</c>): the providers a harvest names, each a STAC API root or a static
/// catalog's URL (<c>providers: {creodias: https://…/stac}</c>). A harvest run as geospaas_processing's
/// <c>start_harvest</c> says <c>provider_name</c> and is sent there. <c>schedule</c> lists harvests the service runs by
/// itself (<see cref="ScheduledHarvest"/>). An unknown key, a bad URL or a schedule naming an unknown provider is refused
/// naming it.
/// </summary>
public sealed class HarvestConfiguration
{
    private static readonly string[] Keys = ["providers", "schedule"];
    private static readonly string[] ScheduleKeys = ["name", "every", "lookback", "searches", "bbox", "cloud", "maxItems"];

    private HarvestConfiguration(IReadOnlyDictionary<string, Uri> providers, IReadOnlyList<ScheduledHarvest> schedule)
    {
        Providers = providers;
        Schedule = schedule;
    }

    public static HarvestConfiguration Empty { get; } = new(new Dictionary<string, Uri>(), []);

    public IReadOnlyDictionary<string, Uri> Providers { get; }

    /// <summary>The harvests run on a schedule.</summary>
    public IReadOnlyList<ScheduledHarvest> Schedule { get; }

    public static HarvestConfiguration Load(string path) =>
        File.Exists(path) ? Parse(File.ReadAllText(path), Path.GetFileName(path)) : throw new CatalogException($"harvest configuration: {path} does not exist");

    public static HarvestConfiguration Parse(string yaml, string name = "harvest configuration")
    {
        if (YamlMapping.Root(yaml, name, "a mapping with 'providers'") is not { } root)
        {
            return Empty;
        }
        var providers = new Dictionary<string, Uri>(StringComparer.Ordinal);
        YamlNode? schedule = null;
        foreach (var (key, value) in root.Children)
        {
            if ((key as YamlScalarNode)?.Value is not { } known || !Keys.Contains(known))
            {
                throw new CatalogException($"{name}: '{(key as YamlScalarNode)?.Value}' is not a key of the harvest configuration (known: {string.Join(", ", Keys)})");
            }
            if (known == "schedule")
            {
                schedule = value;
                continue;
            }
            if (value is not YamlMappingNode entries)
            {
                throw new CatalogException($"{name}: providers: give a mapping of names to STAC URLs");
            }
            foreach (var (providerName, url) in entries.Children)
            {
                var text = (url as YamlScalarNode)?.Value ?? "";
                providers[(providerName as YamlScalarNode)?.Value ?? ""] = Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
                    ? uri : throw new CatalogException($"{name}: providers: {(providerName as YamlScalarNode)?.Value}: '{text}' is not an http or https URL");
            }
        }
        var configuration = new HarvestConfiguration(providers, []);
        return new HarvestConfiguration(providers, schedule is null ? [] : ReadSchedule(schedule, name, configuration));
    }

    private static List<ScheduledHarvest> ReadSchedule(YamlNode node, string name, HarvestConfiguration providers)
    {
        if (node is not YamlSequenceNode entries)
        {
            throw new CatalogException($"{name}: schedule: give a list of harvests (name, every, searches)");
        }
        var schedule = new List<ScheduledHarvest>();
        for (var i = 0; i < entries.Children.Count; i++)
        {
            var at = $"{name}: schedule[{i}]";
            if (ToJson(entries.Children[i]) is not JsonObject entry)
            {
                throw new CatalogException($"{at}: give name, every and searches");
            }
            foreach (var (key, _) in entry)
            {
                if (!ScheduleKeys.Contains(key))
                {
                    throw new CatalogException($"{at}: '{key}' is not a key of a scheduled harvest (known: {string.Join(", ", ScheduleKeys)})");
                }
            }
            var harvestName = entry["name"] is JsonValue n && n.TryGetValue<string>(out var text) && text.Length > 0 ? text
                : throw new CatalogException($"{at}: name: required");
            if (schedule.Any(s => s.Name == harvestName))
            {
                throw new CatalogException($"{at}: name: '{harvestName}' is given twice");
            }
            var every = Duration(entry["every"], $"{at}: every") ?? throw new CatalogException($"{at}: every: required (such as 6h)");
            var lookback = Duration(entry["lookback"], $"{at}: lookback") ?? every;
            var common = new JsonObject();
            foreach (var key in new[] { "bbox", "cloud", "maxItems" })
            {
                if (entry[key] is { } value)
                {
                    common[key] = value.DeepClone();
                }
            }
            var harvest = new ScheduledHarvest(harvestName, every, lookback, common, entry["searches"]?.DeepClone() as JsonArray ?? []);
            try
            {
                StartHarvest.Requests(harvest.Body(DateTimeOffset.UnixEpoch), providers); // every search checked now, not when it first runs
            }
            catch (CatalogException e)
            {
                throw new CatalogException($"{at}: {e.Message}");
            }
            schedule.Add(harvest);
        }
        return schedule;
    }

    /// <summary>A duration as <c>90s</c>, <c>15m</c>, <c>6h</c> or <c>2d</c>.</summary>
    private static TimeSpan? Duration(JsonNode? node, string at)
    {
        if (node is null)
        {
            return null;
        }
        var text = node.ToString().Trim();
        if (text.Length >= 2 && double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) && value > 0)
        {
            switch (text[^1])
            {
                case 's': return TimeSpan.FromSeconds(value);
                case 'm': return TimeSpan.FromMinutes(value);
                case 'h': return TimeSpan.FromHours(value);
                case 'd': return TimeSpan.FromDays(value);
            }
        }
        throw new CatalogException($"{at}: '{text}' is not a duration such as 90s, 15m, 6h or 2d");
    }

    /// <summary>YAML as JSON: mappings, lists, and plain scalars that read as numbers or booleans as such (quoted ones stay text).</summary>
    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode list => new JsonArray(list.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: { } v } when double.TryParse(v, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) => JsonValue.Create(d),
        YamlScalarNode { Style: ScalarStyle.Plain, Value: "true" or "false" } b => JsonValue.Create(b.Value == "true"),
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => null,
    };
}
