using System.Text.Json.Nodes;
using Tessera.Catalog;
using Tessera.Catalog.Scenes;
using Tessera.Processing.Graphs;
using Tessera.Processing.Graphs.Cubes;

namespace Tessera.Host.Catalog;

/// <summary>
/// <c>load_stac</c>'s scenes: the items of the STAC document at an address (<see cref="StacItemLister"/>) whose
/// properties meet every condition; each band is the asset whose key is the band's name, or whose band (name or common
/// name) is; with no bands asked, every data asset of the first item that is a GeoTIFF. The assets are downloaded as the catalog's are, under a name made from the
/// address, so a second run finds them.
/// </summary>
public sealed class StacAddressScenes(CatalogAssets assets)
{
    public async Task<StacScenes> LoadAsync(StacQuery query, IProgress<string>? log, CancellationToken cancellationToken)
    {
        List<CatalogItem> items;
        try
        {
            items = await new StacItemLister(assets).ListAsync(new StacListing(query.Url, query.LonLatBox, query.From, query.To,
                item => query.Properties.All(c => item.Properties[c.Property] is JsonValue v && v.TryGetValue<double>(out var value) && Holds(value, c))),
                cancellationToken);
        }
        catch (CatalogException e)
        {
            throw new GraphException(e is StacTooLargeException ? "ProcessGraphComplexity" : "ProcessArgumentInvalid", e.Message);
        }
        var bands = Bands(items, query);
        var scenes = new List<Scene>();
        var incomplete = 0;
        foreach (var item in items)
        {
            var files = new List<SceneBand>();
            foreach (var band in bands)
            {
                var asset = item.Assets.FirstOrDefault(a => a.Key == band.Name)
                    ?? item.Assets.FirstOrDefault(a => a.Band is not null && (a.Band == band.Name || a.Band == band.CommonName));
                if (asset is null)
                {
                    break;
                }
                string path;
                try
                {
                    path = await assets.EnsureLocalAsync(item, asset, null, cancellationToken);
                }
                catch (CatalogException e)
                {
                    throw new GraphException("ProcessArgumentInvalid", $"item '{item.Id}', asset '{asset.Key}': {e.Message}");
                }
                files.Add(new SceneBand(band.Name, path));
            }
            if (files.Count < bands.Count)
            {
                incomplete++;
                continue;
            }
            scenes.Add(new Scene(item.Id, item.DateTime ?? item.Start, files));
            log?.Report($"scene {item.Id} ({(item.DateTime ?? item.Start):yyyy-MM-dd}): {string.Join(", ", files.Select(f => f.Band))}");
        }
        if (incomplete > 0)
        {
            log?.Report($"{incomplete} items left out: they lack one of the bands {string.Join(", ", bands.Select(b => b.Name))}");
        }
        return new StacScenes(bands, scenes);
    }

    /// <summary>The bands asked for (their common names from the first item that has them), or every GeoTIFF data asset of the first item.</summary>
    private static List<CollectionBand> Bands(List<CatalogItem> items, StacQuery query)
    {
        if (query.Bands is { } asked)
        {
            return asked.Select(name =>
            {
                var asset = items.SelectMany(i => i.Assets).FirstOrDefault(a => a.Key == name || a.Band == name);
                return new CollectionBand(asset?.Key == name || asset is null ? name : asset.Key, asset?.Band);
            }).ToList();
        }
        var first = items.FirstOrDefault();
        return first is null ? [] : first.Assets
            .Where(a => (a.Roles is null || a.Roles.Contains("data")) && (a.MediaType?.StartsWith("image/tiff", StringComparison.Ordinal) ?? false))
            .Select(a => new CollectionBand(a.Key, a.Band)).ToList();
    }

    private static bool Holds(double value, PropertyCondition condition) => condition.Operator switch
    {
        "eq" => value == condition.Value,
        "neq" => value != condition.Value,
        "lt" => value < condition.Value,
        "lte" => value <= condition.Value,
        "gt" => value > condition.Value,
        _ => value >= condition.Value,
    };
}
