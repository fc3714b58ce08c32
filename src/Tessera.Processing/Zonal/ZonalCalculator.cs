using Tessera.Processing.Stacking;
using Tessera.Raster;
using Tessera.Raster.Blocks;
using Tessera.Raster.Features;
using Tessera.Raster.Info;

namespace Tessera.Processing.Zonal;

/// <summary>
/// Computes <see cref="ZoneStatistics"/>: for each raster, the zones are copied into its CRS (GDAL), and each
/// zone is burnt alone (so zones may overlap; holes and multipolygons as GDAL's rasterizer draws them) on the
/// window of the raster that its envelope covers; the bands are read on that window only. A zone that misses
/// the raster gives a count of 0. Zones are computed in parallel, each thread with its own raster and zones
/// handles; memory is bounded by the largest zone's window per thread.
/// </summary>
public static class ZonalCalculator
{
    /// <param name="progress">Zones done over zones × rasters (stage "zones").</param>
    public static IReadOnlyList<ZoneStatistics> Run(ZonalRequest request, CancellationToken cancellationToken = default,
        IProgress<RasterProgress>? progress = null)
    {
        if (request.Rasters.Count == 0)
        {
            throw new RasterArgumentException("no rasters to compute statistics of");
        }
        using var zones = VectorFile.Open(request.Zones);
        var zoneList = zones.Features();
        if (zoneList.Count == 0)
        {
            throw new RasterArgumentException($"{request.Zones}: has no zones");
        }
        var rows = new List<ZoneStatistics>();
        var (done, total) = (0L, (long)zoneList.Count * request.Rasters.Count);
        var gate = new object();
        foreach (var rasterPath in request.Rasters)
        {
            RasterGrid grid;
            IReadOnlyList<string> labels;
            using (var raster = RasterDataset.Open(rasterPath))
            {
                grid = raster.Grid;
                labels = BandLabels.Of(raster);
                if (!raster.HasGeoTransform || !grid.HasCrs)
                {
                    throw new RasterArgumentException($"{rasterPath}: has no georeference: zones cannot be placed on it");
                }
            }
            var copy = zones.CopyTo(grid.CrsWkt, request.ZonesCrs);
            try
            {
                // Zones are shared out between threads, each with its own raster and zones handles; the rows keep
                // the zones' order.
                var perZone = new IReadOnlyList<ZoneStatistics>[zoneList.Count];
                var next = -1;
                WorkerThreads.Run(WorkerThreads.Count(request.Threads, zoneList.Count), () =>
                {
                    using var raster = RasterDataset.Open(rasterPath);
                    using var placed = VectorFile.Open(copy);
                    var byFid = placed.Features().ToDictionary(f => f.Fid);
                    int i;
                    while ((i = Interlocked.Increment(ref next)) < zoneList.Count)
                    {
                        cancellationToken.ThrowIfCancellationRequested();
                        var zone = zoneList[i];
                        var name = zone.Id ?? zone.Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
                        var window = byFid.TryGetValue(zone.Fid, out var p) && p.Envelope is { } e ? CropBox.Subgrid(grid, Pad(e, grid)) : null;
                        perZone[i] = window is null
                            ? Enumerable.Range(1, raster.BandCount).Select(b => Empty(name, zone.Index, rasterPath, b)).ToList()
                            : Zone(raster, rasterPath, placed, zone, name, window, request).ToList();
                        lock (gate)
                        {
                            progress?.Report(new RasterProgress("zones", ++done, total));
                        }
                    }
                });
                rows.AddRange(perZone.SelectMany(r => r).Select(r => r with { Label = labels[r.Band - 1] }));
            }
            finally
            {
                VectorFile.DeleteTemporary(copy);
            }
        }
        return rows;
    }

    private static IEnumerable<ZoneStatistics> Zone(RasterDataset raster, string rasterPath, VectorFile placed, FeatureInfo zone, string name,
        RasterGrid window, ZonalRequest request)
    {
        using var burnt = Rasterizer.Burn(placed, window, allTouched: request.AllTouched,
            where: $"FID = {zone.Fid.ToString(System.Globalization.CultureInfo.InvariantCulture)}");
        using var maskDs = RasterDataset.Open(burnt.Path);
        var mask = new byte[window.Width * window.Height];
        maskDs.Read<byte>(1, window.FullWindow, mask);
        var t = raster.GeoTransform;
        var col = (int)Math.Round((window.Transform.OriginX - t.OriginX) / t.PixelWidth);
        var row = (int)Math.Round((window.Transform.OriginY - t.OriginY) / t.PixelHeight);
        var readWindow = new Window(col, row, window.Width, window.Height);
        var values = new double[mask.Length];
        var rows = new List<ZoneStatistics>();
        for (var b = 1; b <= raster.BandCount; b++)
        {
            raster.Read<double>(b, readWindow, values);
            var noData = request.NoData ?? raster.Band(b).NoData;
            long count = 0;
            var valid = new List<double>();
            for (var i = 0; i < mask.Length; i++)
            {
                if (mask[i] == 0)
                {
                    continue;
                }
                count++;
                var v = values[i];
                if (double.IsNaN(v) || (noData is { } nd && v == nd))
                {
                    continue;
                }
                valid.Add(v);
            }
            rows.Add(Summarise(name, zone.Index, rasterPath, b, count, valid));
        }
        return rows;
    }

    private static ZoneStatistics Summarise(string zone, int index, string raster, int band, long count, List<double> valid)
    {
        if (valid.Count == 0)
        {
            return Empty(zone, index, raster, band) with { Count = count };
        }
        valid.Sort();
        double sum = 0;
        foreach (var v in valid)
        {
            sum += v;
        }
        var mean = sum / valid.Count;
        double squares = 0;
        foreach (var v in valid)
        {
            squares += (v - mean) * (v - mean);
        }
        var n = valid.Count;
        var median = n % 2 == 1 ? valid[n / 2] : (valid[n / 2 - 1] + valid[n / 2]) / 2;
        return new ZoneStatistics(zone, index, raster, band, count, n, mean, valid[0], valid[^1], Math.Sqrt(squares / n), median, sum);
    }

    private static ZoneStatistics Empty(string zone, int index, string raster, int band) =>
        new(zone, index, raster, band, 0, 0, null, null, null, null, null, null);

    /// <summary>The envelope, widened by a pixel so the window holds every pixel an all-touched burn may reach.</summary>
    private static Bounds Pad(Bounds e, RasterGrid grid)
    {
        var dx = Math.Abs(grid.Transform.PixelWidth);
        var dy = Math.Abs(grid.Transform.PixelHeight);
        return new Bounds(e.MinX - dx, e.MinY - dy, e.MaxX + dx, e.MaxY + dy);
    }
}
