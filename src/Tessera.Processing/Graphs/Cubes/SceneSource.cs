using Tessera.Raster;

namespace Tessera.Processing.Graphs.Cubes;

/// <summary>A band of a collection: its name (the cube's band label) and its common name ("nir", "red", ...), when known.</summary>
public sealed record CollectionBand(string Name, string? CommonName = null);

/// <summary>A band file of a scene on this machine.</summary>
public sealed record SceneBand(string Band, string Path, int BandIndex = 1);

/// <summary>A scene of a collection found for a cube, with the files of the bands asked for.</summary>
public sealed record Scene(string Id, DateTimeOffset Time, IReadOnlyList<SceneBand> Bands);

/// <summary>A condition on a scene's property (<c>load_collection</c>'s <c>properties</c>): <c>eo:cloud_cover</c> lte 30.</summary>
public sealed record PropertyCondition(string Property, string Operator, double Value);

/// <summary>What <c>load_collection</c> asks of the catalog: scenes of a collection meeting a box (longitude/latitude) in a time interval.</summary>
public sealed record SceneQuery(string Collection, Bounds? LonLatBox, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string> Bands,
    IReadOnlyList<PropertyCondition> Properties);

/// <summary>
/// What <c>load_stac</c> asks: the items of the STAC document at <paramref name="Url"/> (an Item, an ItemCollection, a
/// Collection or Catalog) meeting a box (longitude/latitude), a time interval and conditions on their properties.
/// </summary>
/// <param name="Bands">Band names or common names; null: every data asset of the first item found.</param>
public sealed record StacQuery(Uri Url, Bounds? LonLatBox, DateTimeOffset? From, DateTimeOffset? To, IReadOnlyList<string>? Bands,
    IReadOnlyList<PropertyCondition> Properties);

/// <summary>The bands and scenes of a <see cref="StacQuery"/>, the band files on this machine.</summary>
public sealed record StacScenes(IReadOnlyList<CollectionBand> Bands, IReadOnlyList<Scene> Scenes);

/// <summary>
/// Where cubes' scenes come from (the catalog, in the host): a collection's bands, and the scenes of a query with the
/// files of their bands on this machine (downloaded first when they are remote).
/// </summary>
public interface ISceneSource
{
    /// <summary>The collection's bands, or null when there is no such collection (for the caller).</summary>
    Task<IReadOnlyList<CollectionBand>?> BandsAsync(string collection, CancellationToken cancellationToken);

    Task<IReadOnlyList<Scene>> FindAsync(SceneQuery query, IProgress<string>? log, CancellationToken cancellationToken);

    /// <summary>The scenes of a STAC document on the web; a <see cref="GraphException"/> says what is wrong with it.</summary>
    Task<StacScenes> LoadStacAsync(StacQuery query, IProgress<string>? log, CancellationToken cancellationToken);
}
