using Tessera.Raster.Blocks;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Output;

/// <summary>A raster copied into another format by GDAL's driver of that name (PNG, say), with its creation options.</summary>
public static class DriverCopy
{
    public static void Write(string source, string path, string driverName, IReadOnlyList<string> options, IProgress<RasterProgress>? progress,
        CancellationToken cancellationToken)
    {
        var driver = GdalNative.GDALGetDriverByName(driverName);
        if (driver == IntPtr.Zero)
        {
            throw new RasterException($"GDAL has no {driverName} driver here");
        }
        using var input = RasterDataset.Open(source);
        using var creation = new CStringList(options);
        GdalErrors.Reset();
        var copy = CogCopy.Copy(driver, path, input.Handle, creation, progress, cancellationToken);
        if (copy == IntPtr.Zero)
        {
            cancellationToken.ThrowIfCancellationRequested();
            throw new RasterIOException(path, $"{RasterDataset.Display(path)}: cannot write {driverName}: {GdalErrors.Describe("GDAL failed")}");
        }
        GdalNative.GDALClose(copy);
    }
}
