using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using Tessera.Raster;
using Tessera.Raster.Info;

namespace Tessera.Cli.Commands;

/// <summary>How <c>tessera info --json</c> writes a description: camelCase, NaN as a literal, every property (null ones too).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    DefaultIgnoreCondition = JsonIgnoreCondition.Never, WriteIndented = true)]
[JsonSerializable(typeof(RasterDescription))]
internal sealed partial class InfoJson : JsonSerializerContext;

/// <summary><c>tessera info FILE [--json] [--stats]</c>: what a raster is, as text or JSON.</summary>
internal static class InfoCommand
{
    public static Command Create(CliContext context)
    {
        var file = new Argument<string>("file") { Description = "The raster" };
        var json = new Option<bool>("--json") { Description = "Print JSON" };
        var stats = new Option<bool>("--stats") { Description = "Compute exact statistics of every band (reads all pixels)" };
        var command = new Command("info", "Describe a raster: bands, types, size, CRS, bounds, resolution, nodata, scale/offset");
        command.Arguments.Add(file);
        command.Options.Add(json);
        command.Options.Add(stats);
        command.SetAction(parse => CommandRunner.Guard(context, () =>
        {
            using var ds = RasterDataset.Open(parse.GetValue(file)!);
            var description = RasterDescription.Of(ds, parse.GetValue(stats));
            if (parse.GetValue(json))
            {
                context.Out.WriteLine(JsonSerializer.Serialize(description, InfoJson.Default.RasterDescription));
            }
            else
            {
                WriteText(context.Out, description);
            }
        }));
        return command;
    }

    private static void WriteText(TextWriter o, RasterDescription d)
    {
        var c = CultureInfo.InvariantCulture;
        o.WriteLine($"File:       {d.Path}");
        o.WriteLine($"Driver:     {d.Driver}");
        o.WriteLine($"Size:       {d.Width} x {d.Height}, {d.BandCount} band{(d.BandCount == 1 ? "" : "s")}");
        o.WriteLine($"CRS:        {(d.Epsg is { } e ? $"EPSG:{e}" : d.CrsWkt is null ? "none" : FirstName(d.CrsWkt))}");
        if (d.ResolutionX is { } rx && d.ResolutionY is { } ry)
        {
            o.WriteLine(string.Create(c, $"Resolution: {rx:G10} x {ry:G10}"));
        }
        if (d.Bounds is { } b)
        {
            o.WriteLine(string.Create(c, $"Bounds:     {b.MinX:G12}, {b.MinY:G12}, {b.MaxX:G12}, {b.MaxY:G12}"));
        }
        if (d.LonLatBounds is { } ll)
        {
            o.WriteLine(string.Create(c, $"Lon/lat:    {ll.MinX:F6}, {ll.MinY:F6}, {ll.MaxX:F6}, {ll.MaxY:F6}"));
        }
        foreach (var band in d.Bands)
        {
            var line = string.Create(c,
                $"Band {band.Index}: {band.DataType}, block {band.BlockWidth}x{band.BlockHeight}, {band.OverviewCount} overviews, nodata {(band.NoData is { } nd ? nd.ToString(c) : "none")}");
            if (band.Scale != 1 || band.Offset != 0)
            {
                line += string.Create(c, $", scale {band.Scale:G10}, offset {band.Offset:G10}");
            }
            if (band.Description.Length > 0)
            {
                line += $", \"{band.Description}\"";
            }
            o.WriteLine(line);
            if (band.Statistics is { } s)
            {
                o.WriteLine(s.ValidCount == 0
                    ? $"    no valid pixels ({s.Count} nodata)"
                    : string.Create(c, $"    min {s.Min:G8}, max {s.Max:G8}, mean {s.Mean:G8}, std {s.StdDev:G8}, valid {s.ValidCount} of {s.Count}"));
            }
        }
    }

    private static string FirstName(string wkt)
    {
        var start = wkt.IndexOf('"');
        var end = start >= 0 ? wkt.IndexOf('"', start + 1) : -1;
        return end > start ? wkt[(start + 1)..end] : "custom";
    }
}
