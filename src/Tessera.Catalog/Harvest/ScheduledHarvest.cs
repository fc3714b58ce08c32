using System.Globalization;
using System.Text.Json.Nodes;

namespace Tessera.Catalog.Harvest;

/// <summary>
/// A harvest the service runs by itself every <paramref name="Every"/>: start_harvest's searches over the last
/// <paramref name="Lookback"/> (the common <c>start_time</c> is then minus it), with the common <c>bbox</c>, <c>cloud</c>
/// and <c>maxItems</c> of <paramref name="Common"/>.
/// </summary>
public sealed record ScheduledHarvest(string Name, TimeSpan Every, TimeSpan Lookback, JsonObject Common, JsonArray Searches)
{
    /// <summary>The start_harvest body of a run at <paramref name="now"/>.</summary>
    public JsonObject Body(DateTimeOffset now)
    {
        var common = (JsonObject)Common.DeepClone();
        common["start_time"] = (now - Lookback).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);
        return new JsonObject { ["common"] = common, ["searches"] = Searches.DeepClone() };
    }
}
