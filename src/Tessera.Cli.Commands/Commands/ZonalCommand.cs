using System.CommandLine;
using Tessera.Processing.Zonal;
using Tessera.Raster;

namespace Tessera.Cli.Commands;

/// <summary><c>tessera zonal --zones ZONES IN... -o STATS.(csv|geojson|gpkg)</c>.</summary>
internal static class ZonalCommand
{
    public static Command Create(CliContext context)
    {
        var rasters = new Argument<string[]>("inputs") { Description = "Rasters (every band; several make a time series)", Arity = ArgumentArity.OneOrMore };
        var zones = new Option<string>("--zones") { Description = "Polygons (GeoJSON or any GDAL vector file; holes and multipolygons)", Required = true };
        var zonesCrs = new Option<string?>("--zones-crs") { Description = "The zones' CRS when their file does not say it" };
        var output = new Option<string>("--output", "-o") { Description = "Statistics file: .csv, .geojson or .gpkg", Required = true };
        var allTouched = new Option<bool>("--all-touched") { Description = "Count every pixel a zone touches, not only those whose centre it covers" };
        var noData = new Option<double?>("--nodata") { Description = "Value to read as no data (default: each band's own)" };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "No progress output" };
        var threads = new Option<int>("--threads") { Description = "Threads computing zones (default: one per core)" };
        var command = new Command("zonal", "Statistics of raster bands over polygons: count, valid, mean, min, max, std, median, sum");
        command.Arguments.Add(rasters);
        foreach (var option in new Option[] { zones, zonesCrs, output, allTouched, noData, quiet, threads })
        {
            command.Options.Add(option);
        }
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            var target = parse.GetValue(output)!;
            if (Path.GetExtension(target).ToLowerInvariant() is not (".csv" or ".geojson" or ".json" or ".gpkg"))
            {
                throw new UsageException($"{target}: write statistics to a .csv, .geojson or .gpkg file");
            }
            var crs = parse.GetValue(zonesCrs);
            if (crs is not null)
            {
                try
                {
                    using (SpatialReference.FromUserInput(crs))
                    {
                    }
                }
                catch (RasterException e)
                {
                    throw new UsageException($"--zones-crs: {e.Message}");
                }
            }
            if (parse.GetValue(threads) < 0)
            {
                throw new UsageException("--threads cannot be negative");
            }
            var request = new ZonalRequest(parse.GetValue(zones)!, parse.GetValue(rasters)!, crs, parse.GetValue(allTouched), parse.GetValue(noData),
                parse.GetValue(threads));
            using var progress = context.Progress(parse.GetValue(quiet));
            var rows = ZonalCalculator.Run(request, context.Cancellation, progress);
            ZonalWriter.Write(rows, request.Zones, target, crs);
        }));
        return command;
    }
}
