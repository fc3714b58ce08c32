using System.CommandLine;
using Tessera.Processing.Stacking;
using Tessera.Raster;

namespace Tessera.Cli.Commands;

/// <summary>--bbox w,s,e,n and --bbox-crs: a region to crop to, shared by merge and crop.</summary>
internal sealed class BoxArguments
{
    public Option<string?> Bbox { get; } = new("--bbox") { Description = "Crop to west,south,east,north (in --bbox-crs)" };

    public Option<string> BboxCrs { get; } = new("--bbox-crs")
    {
        Description = "CRS of --bbox (EPSG:n, a WKT or PROJ string; default EPSG:4326, lon/lat)",
        DefaultValueFactory = _ => "EPSG:4326",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Bbox);
        command.Options.Add(BboxCrs);
    }

    public CropBox? Read(ParseResult parse)
    {
        if (parse.GetValue(Bbox) is not { } text)
        {
            return null;
        }
        try
        {
            var crs = parse.GetValue(BboxCrs)!;
            using (SpatialReference.FromUserInput(crs))
            {
            }
            return CropBox.Parse(text, crs);
        }
        catch (RasterException e)
        {
            throw new UsageException(e.Message);
        }
    }
}
