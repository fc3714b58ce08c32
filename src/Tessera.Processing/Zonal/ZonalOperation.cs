using Tessera.Processing.Operations;
using Tessera.Raster.Blocks;
using Tessera.Raster.Features;

namespace Tessera.Processing.Zonal;

/// <summary>ZONAL_STATS (13): statistics of every band of the input rasters over polygons, as a table.</summary>
public sealed class ZonalOperation() : Operation(13, "ZONAL_STATS",
    "Zonal statistics: count, valid, mean, min, max, std, median and sum of every band over polygons (a table)",
    "One row per zone and band of each input raster (several rasters make a time series); CSV, GeoJSON or GeoPackage.",
    OperationInputs.Any(1, "the rasters, in order (whole files; several make a time series)", wholeFiles: true),
    [
        new("zones", ParameterType.GeoJson,
            "the polygons (GeoJSON; lon/lat unless it names its CRS; holes and multipolygons); a zone's name is its id property, else its index; or give zonesFile"),
        new("zonesFile", ParameterType.StoredFile,
            "the polygons as a stored vector file (GeoJSON, GeoPackage or zipped shapefile uploaded to /files), by its id; instead of zones"),
        new("zonesCrs", ParameterType.Crs, "the zones' CRS when the GeoJSON does not say it, e.g. EPSG:32633"),
        new("allTouched", ParameterType.Boolean, "count every pixel a zone touches, not only those whose centre it covers") { Default = false },
        CommonParameters.NoData with { Description = "input value that means no data; default: each band's own" },
        new("format", ParameterType.Choice, "the table's format: csv (default), geojson, gpkg") { Choices = ["csv", "geojson", "gpkg"], Default = "csv" },
    ])
{
    public override OutputKind Output => OutputKind.Table;

    public override void CheckParameters(ParameterValues parameters)
    {
        if (parameters.Given("zones") == parameters.Given("zonesFile"))
        {
            throw new OperationRequestException(parameters.Given("zones")
                ? "params.zonesFile: give the zones once: as GeoJSON (zones) or as a stored file (zonesFile), not both"
                : "params.zones: required: the polygons as GeoJSON, or zonesFile: the id of a stored vector file");
        }
    }

    public override string OutputFile(ParameterValues parameters) => "statistics." + parameters.Text("format");

    /// <summary>Eight numbers per zone and band: small next to any raster; counted as 1 KiB per band of the inputs.</summary>
    public override long EstimateOutputBytes(IReadOnlyList<OperationInput> inputs, ParameterValues parameters) =>
        inputs.Sum(Estimates.BandsOf) * 1024L;

    public override void Run(OperationRun run, IProgress<RasterProgress>? progress, CancellationToken cancellationToken)
    {
        var p = run.Parameters;
        string zones;
        if (run.File("zonesFile") is { } stored)
        {
            // A zipped shapefile is unpacked and converted here; GeoJSON and GeoPackage files are read as they are.
            zones = stored;
            if (ZippedShapefile.IsOne(stored))
            {
                zones = Path.Combine(run.WorkFolder, "zones.gpkg");
                ZippedShapefile.ToGeoPackage(stored, zones, "params.zonesFile");
            }
        }
        else
        {
            zones = Path.Combine(run.WorkFolder, "zones.geojson");
            File.WriteAllText(zones, p.Text("zones"));
        }
        var request = new ZonalRequest(zones, run.Inputs.Select(i => i.Path).ToList(), p.Text("zonesCrs"), p.Flag("allTouched"), p.Number("nodata"));
        var rows = ZonalCalculator.Run(request, cancellationToken, progress);
        ZonalWriter.Write(rows, zones, run.Output, request.ZonesCrs);
    }
}
