using Tessera.Processing.Calculation;
using Tessera.Processing.Indices;
using Tessera.Raster.Gdal;
using Tessera.Raster.Output;

// Usage: Tessera.Bench.Native NIR RED OUTPUT cog|gtiff
// The NDVI `tessera index ndvi` computes, with its defaults (COG), or as a tiled plain GeoTIFF (512 x 512), and GDAL
// loaded while the request is built, as the command does.
if (args.Length != 4 || args[3] is not ("cog" or "gtiff"))
{
    Console.Error.WriteLine("usage: Tessera.Bench.Native NIR RED OUTPUT cog|gtiff");
    return 2;
}
var warmUp = GdalRuntime.WarmUpInBackground();
var output = args[3] == "cog" ? null : new OutputOptions(OutputFormats.GTiff, ["TILED=YES", "BLOCKXSIZE=512", "BLOCKYSIZE=512"]);
var ndvi = SpectralIndices.Ndvi;
Calculator.Run(new CalculationRequest([new BandInput("nir", args[0]), new BandInput("red", args[1])], ndvi.Formula, args[2], ndvi.Name, output));
warmUp.Wait();
return 0;
