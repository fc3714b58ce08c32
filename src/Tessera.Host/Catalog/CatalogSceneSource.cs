using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Processing.Graphs.Cubes;

namespace Tessera.Host.Catalog;

/// <summary>
/// The scenes of process graphs' cubes, from the catalog: a collection's bands are its <c>eo:bands</c>; the scenes of a
/// query are the items the catalog's search finds (bbox, time, property conditions, answered by SQL), for
/// <paramref name="visibility"/>; each band is the item's asset whose key is the band's name (or whose band is the
/// band's name or common name), brought to this machine first when it is remote (<see cref="CatalogAssets"/>).
/// Items without one of the bands asked for are left out, and the log says how many.
/// </summary>
public sealed class CatalogSceneSource(ISceneCatalog catalog, CatalogAssets assets, string? visibility) : ISceneSource
{
    /// <summary>Most scenes one cube may take.</summary>
    public const int MaxScenes = 2000;

    public async Task<IReadOnlyList<CollectionBand>?> BandsAsync(string collection, CancellationToken cancellationToken) =>
        await catalog.GetCollectionAsync(collection, cancellationToken) is { Kind: not CollectionKind.Results } found
            ? found.Bands.Select(b => new CollectionBand(b.Name, b.CommonName)).ToList()
            : null;

    public Task<StacScenes> LoadStacAsync(StacQuery query, IProgress<string>? log, CancellationToken cancellationToken) =>
        new StacAddressScenes(assets).LoadAsync(query, log, cancellationToken);

    public async Task<IReadOnlyList<Scene>> FindAsync(SceneQuery query, IProgress<string>? log, CancellationToken cancellationToken)
    {
        var filters = query.Properties.Select(p => new PropertyFilter(p.Property, p.Operator switch
        {
            "eq" => QueryOperator.Eq,
            "neq" => QueryOperator.Neq,
            "lt" => QueryOperator.Lt,
            "lte" => QueryOperator.Lte,
            "gt" => QueryOperator.Gt,
            _ => QueryOperator.Gte,
        }, JsonValue.Create(p.Value))).ToList();
        // openEO's temporal extents exclude their end; the catalog's search includes it: a millisecond before.
        var page = await catalog.SearchAsync(new ItemSearch([query.Collection], Bbox: query.LonLatBox, From: query.From,
            To: query.To is { } end ? end.AddMilliseconds(-1) : null, Query: filters, Limit: MaxScenes + 1, Visibility: visibility,
            SortBy: [new SortField("datetime")]), cancellationToken);
        if (page.Items.Count > MaxScenes)
        {
            throw new Tessera.Processing.Graphs.GraphException("ProcessGraphComplexity",
                $"more than {MaxScenes} scenes of '{query.Collection}' meet the extents: give a smaller spatial or temporal extent");
        }
        var scenes = new List<Scene>();
        var incomplete = 0;
        var bands = await BandsAsync(query.Collection, cancellationToken) ?? [];
        foreach (var item in page.Items)
        {
            var files = new List<SceneBand>();
            foreach (var band in query.Bands)
            {
                var common = bands.FirstOrDefault(b => b.Name == band)?.CommonName;
                var asset = item.Assets.FirstOrDefault(a => a.Key == band)
                    ?? item.Assets.FirstOrDefault(a => a.Band is not null && (a.Band == band || a.Band == common));
                if (asset is null)
                {
                    break;
                }
                var path = await assets.EnsureLocalAsync(item, asset, null, cancellationToken);
                files.Add(new SceneBand(band, path));
            }
            if (files.Count < query.Bands.Count)
            {
                incomplete++;
                continue;
            }
            scenes.Add(new Scene(item.Id, item.DateTime ?? item.Start, files));
            log?.Report($"scene {item.Id} ({(item.DateTime ?? item.Start):yyyy-MM-dd}): {string.Join(", ", files.Select(f => f.Band))}");
        }
        if (incomplete > 0)
        {
            log?.Report($"{incomplete} scenes left out: they lack one of the bands {string.Join(", ", query.Bands)}");
        }
        return scenes;
    }
}
