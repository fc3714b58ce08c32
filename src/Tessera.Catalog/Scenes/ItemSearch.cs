using System.Text.Json.Nodes;
using Tessera.Raster;
using Tessera.Raster.Features;

namespace Tessera.Catalog.Scenes;

/// <summary>A comparison of STAC's query extension: <c>{"eo:cloud_cover": {"lt": 30}}</c> is ("eo:cloud_cover", Lt, 30).</summary>
public sealed record PropertyFilter(string Property, QueryOperator Operator, JsonNode Value);

public enum QueryOperator
{
    Eq,
    Neq,
    Lt,
    Lte,
    Gt,
    Gte,
    StartsWith,
    EndsWith,
    Contains,
    In,
}

/// <summary>A sort key of STAC's sort extension: a field ("datetime", "id", "collection", "properties.eo:cloud_cover", ...) and its direction.</summary>
public sealed record SortField(string Field, bool Descending = false);

/// <summary>
/// What an item search asks for; every filter is optional. Time is an interval (an instant is one whose ends are equal);
/// an item matches when its own time (or range) meets it. <paramref name="Intersects"/> is matched exactly (the database
/// narrows to the geometry's bounding box first). Items are sorted by <paramref name="SortBy"/>, then by time, collection
/// and id, so that pages never overlap.
/// </summary>
/// <param name="Visibility">Whose items may be seen besides everyone's: an owner, or null for all (administrators).</param>
public sealed record ItemSearch(
    IReadOnlyList<string>? Collections = null,
    IReadOnlyList<string>? Ids = null,
    Bounds? Bbox = null,
    GeoJsonGeometry? Intersects = null,
    DateTimeOffset? From = null,
    DateTimeOffset? To = null,
    IReadOnlyList<PropertyFilter>? Query = null,
    IReadOnlyList<SortField>? SortBy = null,
    int Limit = 10,
    int Offset = 0,
    string? Visibility = null,
    bool Count = true);
