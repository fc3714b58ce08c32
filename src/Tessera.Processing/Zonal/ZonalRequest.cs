namespace Tessera.Processing.Zonal;

/// <summary>Zonal statistics: polygons of a vector file over every band of one or more rasters.</summary>
/// <param name="ZonesCrs">The zones' CRS when the file does not say it (a GeoJSON file is lon/lat unless it says otherwise).</param>
/// <param name="AllTouched">A pixel belongs to a zone when the zone touches it, not only when it covers its centre.</param>
/// <param name="NoData">The value read as no data (overrides the bands' own).</param>
/// <param name="Threads">Threads computing zones; 0 = one per core.</param>
public sealed record ZonalRequest(
    string Zones,
    IReadOnlyList<string> Rasters,
    string? ZonesCrs = null,
    bool AllTouched = false,
    double? NoData = null,
    int Threads = 0);
