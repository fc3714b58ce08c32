using System.Globalization;
using Tessera.Catalog.Scenes;
using Tessera.Raster;

namespace Tessera.Host.Ingest;

/// <summary>A scene of an ingestion on its tile and date, with the scenes its processing waits for (indexes into the plan).</summary>
/// <param name="Previous">The same tile's scene of the date before, or null for the tile's first.</param>
/// <param name="Reference">The tile's first scene, or null for that one.</param>
public sealed record PlannedScene(CatalogItem Item, string Tile, string Date, int? Previous, int? Reference);

/// <summary>
/// The Geocube ingester's plan: scenes sorted by date and grouped by location on a common grid (the collection's own
/// grid code when the scene has one; else the 100 km square of its UTM zone its centre falls in, as MGRS squares are
/// made: <c>33N-E4N50</c>); on each tile, a scene's processing waits for the tile's previous date and its first
/// (reference) date.
/// </summary>
public static class IngestPlan
{
    public static IReadOnlyList<PlannedScene> Of(IEnumerable<CatalogItem> items)
    {
        var ordered = items.Select(i => (Item: i, Time: i.DateTime ?? i.Start)).OrderBy(i => i.Time).ThenBy(i => i.Item.Id, StringComparer.Ordinal).ToList();
        var plan = new List<PlannedScene>();
        var last = new Dictionary<string, int>();
        var first = new Dictionary<string, int>();
        foreach (var (item, time) in ordered)
        {
            var tile = TileOf(item);
            int? previous = last.TryGetValue(tile, out var p) ? p : null;
            int? reference = first.TryGetValue(tile, out var f) ? f : null;
            plan.Add(new PlannedScene(item, tile, time.UtcDateTime.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), previous, reference));
            last[tile] = plan.Count - 1;
            first.TryAdd(tile, plan.Count - 1);
        }
        return plan;
    }

    /// <summary>The tile of a scene: its grid code, or its centre's 100 km UTM square.</summary>
    public static string TileOf(CatalogItem item)
    {
        if (item.GridCode is { } code)
        {
            return code;
        }
        var box = item.Bbox ?? throw new ArgumentException($"scene '{item.Id}' has no footprint to place on a grid");
        var (lon, lat) = ((box.MinX + box.MaxX) / 2, (box.MinY + box.MaxY) / 2);
        var zone = Math.Clamp((int)Math.Floor((lon + 180) / 6) + 1, 1, 60);
        using var wgs84 = SpatialReference.Wgs84();
        using var utm = SpatialReference.FromUserInput($"EPSG:{(lat >= 0 ? 32600 : 32700) + zone}");
        Span<double> x = [lon];
        Span<double> y = [lat];
        wgs84.Transform(utm, x, y);
        return string.Create(CultureInfo.InvariantCulture,
            $"{zone:00}{(lat >= 0 ? 'N' : 'S')}-E{(int)Math.Floor(x[0] / 100_000)}N{(int)Math.Floor(y[0] / 100_000)}");
    }
}
