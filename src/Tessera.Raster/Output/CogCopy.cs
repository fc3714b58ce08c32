using System.Runtime.InteropServices;
using Tessera.Raster.Blocks;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Output;

/// <summary>
/// A raster GDAL reads, in any format, band count and data type, copied as a cloud-optimized GeoTIFF by GDAL's COG
/// driver with the service's COG options (<see cref="RasterOutput.DefaultCogOptions"/>) and those given: values, CRS,
/// geotransform, nodata, scale and offset, band descriptions and metadata pass as GDAL reads them (the block engine's
/// COG writer takes computed float blocks instead, and always sets a nodata value). A band's nodata and description
/// can be given where the source has none (through an in-memory VRT over the open source). Nothing appears at the
/// path until the file is complete.
/// </summary>
public static unsafe class CogCopy
{
    /// <summary>What to set on a band of the copy where the source says nothing (null: nothing).</summary>
    public sealed record BandSettings(double? NoData = null, string? Description = null);

    /// <summary>Writes <paramref name="source"/> as a COG at <paramref name="path"/> (replacing a file there).</summary>
    /// <param name="bands">Per band of the source, what to set where it has none; null or shorter: nothing.</param>
    public static void Write(RasterDataset source, string path, IEnumerable<string>? creationOptions = null, IReadOnlyList<BandSettings?>? bands = null,
        IProgress<RasterProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        GdalRuntime.EnsureInitialized();
        var (full, folder) = OutputTarget.Check(path);
        var driver = GdalNative.GDALGetDriverByName("COG");
        if (driver == IntPtr.Zero)
        {
            throw new RasterIOException(path, "this GDAL has no COG driver (GDAL 3.1 or newer is needed)");
        }
        var temporary = System.IO.Path.Combine(folder, $".{System.IO.Path.GetFileName(full)}.{Guid.NewGuid():N}.tif");
        var vrt = IntPtr.Zero;
        try
        {
            var from = source.Handle;
            if (bands is not null && bands.Any(b => b is not null))
            {
                vrt = Settled(source, bands);
                from = vrt;
            }
            using var options = new CStringList(CreationOptions.Merge(
                RasterOutput.DefaultCogOptions(GdalNative.GDALGetRasterCount(from), source.BandCount > 0 ? source.Band(1).DataType : RasterDataType.Float64), creationOptions ?? []));
            GdalErrors.Reset();
            var copy = Copy(driver, temporary, from, options, progress, cancellationToken);
            cancellationToken.ThrowIfCancellationRequested();
            if (copy == IntPtr.Zero)
            {
                throw new RasterIOException(path, $"{path}: cannot write the COG: {GdalErrors.Describe("GDAL failed")}");
            }
            GdalErrors.Reset();
            GdalNative.GDALClose(copy);
            if (GdalErrors.Failure is { } failure)
            {
                throw new RasterIOException(path, $"{path}: cannot finish the COG: {failure.Trim()}");
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (vrt != IntPtr.Zero)
            {
                GdalNative.GDALClose(vrt);
            }
            if (File.Exists(temporary))
            {
                File.Delete(temporary);
            }
        }
    }

    /// <summary>An in-memory VRT of the open source (its bands read from the source's own handles), with the settings made.</summary>
    private static IntPtr Settled(RasterDataset source, IReadOnlyList<BandSettings?> bands)
    {
        var driver = GdalNative.GDALGetDriverByName("VRT");
        using var none = new CStringList([]);
        GdalErrors.Reset();
        var vrt = GdalNative.GDALCreateCopy(driver, "", source.Handle, 0, none.Pointer, null, IntPtr.Zero);
        if (vrt == IntPtr.Zero)
        {
            throw new RasterIOException(source.Path, $"{RasterDataset.Display(source.Path)}: cannot be copied: {GdalErrors.Describe("GDAL failed")}");
        }
        for (var b = 1; b <= Math.Min(bands.Count, source.BandCount); b++)
        {
            if (bands[b - 1] is not { } settings)
            {
                continue;
            }
            var band = GdalNative.GDALGetRasterBand(vrt, b);
            int hasNoData;
            GdalNative.GDALGetRasterNoDataValue(band, &hasNoData);
            if (settings.NoData is { } noData && hasNoData == 0)
            {
                GdalNative.GDALSetRasterNoDataValue(band, noData);
            }
            if (settings.Description is { } description && string.IsNullOrEmpty(Marshal.PtrToStringUTF8(GdalNative.GDALGetDescription(band))))
            {
                GdalNative.GDALSetDescription(band, description);
            }
        }
        return vrt;
    }

    /// <summary>GDAL's CreateCopy with the driver, reporting progress as "write COG" and stopping when cancelled.</summary>
    internal static IntPtr Copy(IntPtr driver, string path, IntPtr source, CStringList options, IProgress<RasterProgress>? progress,
        CancellationToken cancellationToken)
    {
        var state = new CopyProgress(progress, cancellationToken);
        var handle = GCHandle.Alloc(state);
        try
        {
            return GdalNative.GDALCreateCopy(driver, path, source, 0, options.Pointer, &OnCopyProgress, GCHandle.ToIntPtr(handle));
        }
        finally
        {
            handle.Free();
        }
    }

    private sealed class CopyProgress(IProgress<RasterProgress>? progress, CancellationToken token)
    {
        public IProgress<RasterProgress>? Progress { get; } = progress;

        public CancellationToken Token { get; } = token;
    }

    [UnmanagedCallersOnly(CallConvs = [typeof(System.Runtime.CompilerServices.CallConvCdecl)])]
    private static int OnCopyProgress(double complete, byte* message, IntPtr arg)
    {
        var state = (CopyProgress)GCHandle.FromIntPtr(arg).Target!;
        state.Progress?.Report(new RasterProgress("write COG", (long)(complete * 1000), 1000));
        return state.Token.IsCancellationRequested ? 0 : 1;
    }
}
