using System.Text.Json;
using System.Text.Json.Nodes;

namespace Tessera.Catalog.Harvest;

/// <summary>
/// geospaas_processing's <c>start_harvest</c>: <c>{"common": {"start_time", "end_time"}, "searches": [{"provider_name",
/// "collection"}]}</c>, each search a harvest of its provider's collection over the common time (and the common
/// <c>bbox</c>, <c>cloud</c> and <c>maxItems</c> when given). Checked whole before anything is queued.
/// </summary>
public static class StartHarvest
{
    private static readonly string[] Keys = ["common", "searches"];
    private static readonly string[] CommonKeys = ["start_time", "end_time", "bbox", "cloud", "maxItems"];
    private static readonly string[] SearchKeys = ["provider_name", "collection"];

    /// <summary>One harvest request per search.</summary>
    public static IReadOnlyList<HarvestRequest> Requests(JsonObject body, HarvestConfiguration configuration)
    {
        Only(body, Keys, "");
        var common = body["common"] as JsonObject ?? (body["common"] is null ? [] : throw new CatalogException("common: give an object"));
        Only(common, CommonKeys, "common.");
        string? Time(string key) => common[key] switch
        {
            null => null,
            JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
            _ => throw new CatalogException($"common.{key}: give a date or time"),
        };
        var (start, end) = (Time("start_time"), Time("end_time"));
        var searches = body["searches"] as JsonArray is { Count: > 0 } list ? list
            : throw new CatalogException("searches: give a non-empty list of {\"provider_name\", \"collection\"}");
        var requests = new List<HarvestRequest>();
        for (var i = 0; i < searches.Count; i++)
        {
            var search = searches[i] as JsonObject ?? throw new CatalogException($"searches[{i}]: give {{\"provider_name\", \"collection\"}}");
            Only(search, SearchKeys, $"searches[{i}].");
            var provider = search["provider_name"]?.GetValueKind() == JsonValueKind.String ? search["provider_name"]!.GetValue<string>()
                : throw new CatalogException($"searches[{i}].provider_name: required");
            var source = configuration.Providers.GetValueOrDefault(provider)
                ?? throw new CatalogException($"searches[{i}].provider_name: '{provider}' is not a provider of the harvest configuration" +
                    (configuration.Providers.Count == 0 ? " (it names none)" : $" (it names {string.Join(", ", configuration.Providers.Keys)})"));
            var request = new JsonObject { ["source"] = source.ToString() };
            if (search["collection"] is { } collection)
            {
                request["collections"] = new JsonArray(collection.DeepClone());
            }
            if (start is not null || end is not null)
            {
                request["datetime"] = $"{start ?? ".."}/{end ?? ".."}";
            }
            foreach (var key in new[] { "bbox", "cloud", "maxItems" })
            {
                if (common[key] is { } value)
                {
                    request[key] = value.DeepClone();
                }
            }
            try
            {
                requests.Add(HarvestRequest.FromJson(request));
            }
            catch (CatalogException e)
            {
                throw new CatalogException($"searches[{i}]: {e.Message}");
            }
        }
        return requests;
    }

    private static void Only(JsonObject body, string[] known, string at)
    {
        foreach (var (key, _) in body)
        {
            if (!known.Contains(key))
            {
                throw new CatalogException($"{at}{key}: not a field of start_harvest here (known: {string.Join(", ", known)})");
            }
        }
    }
}
