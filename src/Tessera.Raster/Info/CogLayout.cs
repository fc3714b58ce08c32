using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Tessera.Raster.Gdal;

namespace Tessera.Raster.Info;

/// <summary>
/// Whether a GeoTIFF is laid out as a cloud-optimized GeoTIFF, by the checks of GDAL's
/// <c>validate_cloud_optimized_geotiff.py</c> (without its per-block leader and trailer checks): tiled when larger than
/// 512 pixels, overviews inside the file, smaller overviews after larger ones, the main directory first (after GDAL's
/// structural metadata when there is some), every directory before the image data, the smallest overview's data first
/// and the full resolution's last. One check is stricter than the script's warning: a file larger than 512 pixels needs
/// overviews.
/// </summary>
public static class CogLayout
{
    private const int SmallSide = 512;
    private const string GhostHeader = "GDAL_STRUCTURAL_METADATA_SIZE=";

    /// <summary>What keeps <paramref name="dataset"/> from being a cloud-optimized GeoTIFF; none when it is one.</summary>
    public static IReadOnlyList<string> Problems(RasterDataset dataset)
    {
        if (dataset.DriverName != "GTiff")
        {
            return ["not a GeoTIFF"];
        }
        var problems = new List<string>();
        var main = GdalNative.GDALGetRasterBand(dataset.Handle, 1);
        var overviews = Enumerable.Range(0, GdalNative.GDALGetOverviewCount(main)).Select(i => GdalNative.GDALGetOverview(main, i)).ToList();
        if (RasterPaths.IsPlainFile(dataset.Path) && File.Exists(dataset.Path + ".ovr"))
        {
            problems.Add("its overviews are in an external .ovr file");
        }
        var (width, height) = Size(main);
        if (width > SmallSide || height > SmallSide)
        {
            if (!Tiled(main))
            {
                problems.Add($"larger than {SmallSide} pixels but not tiled");
            }
            if (overviews.Count == 0)
            {
                problems.Add($"larger than {SmallSide} pixels but without overviews");
            }
        }
        var ifds = new List<long> { Offset(main, "IFD_OFFSET") };
        if (ifds[0] is not (8 or 16) && ExpectedFirstDirectory(dataset.Path) is { } expected && expected != ifds[0])
        {
            problems.Add($"its main directory is at byte {ifds[0]}, not at {expected}");
        }
        if (Ghost(dataset.Path)?.Contains("KNOWN_INCOMPATIBLE_EDITION=YES", StringComparison.Ordinal) == true)
        {
            problems.Add("it was edited after it was written as a COG (KNOWN_INCOMPATIBLE_EDITION)");
        }
        var previous = main;
        for (var i = 0; i < overviews.Count; i++)
        {
            var overview = overviews[i];
            var (w, h) = Size(overview);
            var (pw, ph) = Size(previous);
            if (w > pw || h > ph)
            {
                problems.Add($"overview {i + 1} is larger than the level before it");
            }
            if (!Tiled(overview))
            {
                problems.Add($"overview {i + 1} is not tiled");
            }
            ifds.Add(Offset(overview, "IFD_OFFSET"));
            if (ifds[^1] < ifds[^2])
            {
                problems.Add($"the directory of overview {i + 1} comes before that of the level before it");
            }
            previous = overview;
        }
        var data = new List<long> { FirstBlock(main) };
        data.AddRange(overviews.Select(FirstBlock));
        if (data[^1] != 0 && data[^1] < ifds[^1])
        {
            problems.Add("image data comes before the last directory");
        }
        for (var i = data.Count - 2; i >= 0; i--)
        {
            if (data[i] != 0 && data[i] < data[i + 1])
            {
                problems.Add(i == 0 ? "the full resolution's data comes before the overviews'" : $"the data of overview {i} comes before that of overview {i + 1}");
            }
        }
        return problems;
    }

    private static (int Width, int Height) Size(IntPtr band) => (GdalNative.GDALGetRasterBandXSize(band), GdalNative.GDALGetRasterBandYSize(band));

    private static unsafe bool Tiled(IntPtr band)
    {
        int bx, by;
        GdalNative.GDALGetBlockSize(band, &bx, &by);
        return !(bx == GdalNative.GDALGetRasterBandXSize(band) && bx > 1024);
    }

    private static long Offset(IntPtr band, string item) =>
        long.TryParse(Marshal.PtrToStringUTF8(GdalNative.GDALGetMetadataItem(band, item, "TIFF")), NumberStyles.None, CultureInfo.InvariantCulture, out var offset)
            ? offset
            : 0;

    /// <summary>The offset of the first block a level stores (row-major), or 0 when it stores none.</summary>
    private static unsafe long FirstBlock(IntPtr band)
    {
        int bx, by;
        GdalNative.GDALGetBlockSize(band, &bx, &by);
        var (width, height) = Size(band);
        for (var y = 0; y < (height + by - 1) / by; y++)
        {
            for (var x = 0; x < (width + bx - 1) / bx; x++)
            {
                if (Offset(band, $"BLOCK_OFFSET_{x}_{y}") is > 0 and var offset)
                {
                    return offset;
                }
            }
        }
        return 0;
    }

    /// <summary>Where the main directory must start: right after the header, or after GDAL's structural metadata.</summary>
    private static long? ExpectedFirstDirectory(string path)
    {
        if (Header(path) is not { } header)
        {
            return null;
        }
        var bigTiff = header[2] == 0x2B || header[3] == 0x2B;
        long expected = bigTiff ? 16 : 8;
        if (Ghost(path) is { } ghost)
        {
            expected += GhostHeader.Length + 6 + " bytes\n".Length + ghost.Length;
            expected += expected % 2;
        }
        return expected;
    }

    /// <summary>GDAL's structural metadata at the start of the file ("LAYOUT=IFDS_BEFORE_DATA ..."), when there is some.</summary>
    private static string? Ghost(string path)
    {
        if (Header(path) is not { } header)
        {
            return null;
        }
        var start = header[2] == 0x2B || header[3] == 0x2B ? 16 : 8;
        var prefix = header.AsSpan(start);
        var text = Encoding.Latin1.GetString(prefix);
        if (!text.StartsWith(GhostHeader, StringComparison.Ordinal) || text.Length < GhostHeader.Length + 6
            || !int.TryParse(text.AsSpan(GhostHeader.Length, 6), NumberStyles.None, CultureInfo.InvariantCulture, out var size))
        {
            return null;
        }
        var body = GhostHeader.Length + 6 + " bytes\n".Length;
        return text.Length >= body + size ? text.Substring(body, size) : null;
    }

    /// <summary>The first bytes of a plain file (enough for the header and GDAL's structural metadata).</summary>
    private static byte[]? Header(string path)
    {
        if (!RasterPaths.IsPlainFile(path) || !File.Exists(path))
        {
            return null;
        }
        using var file = File.OpenRead(path);
        var buffer = new byte[4096];
        var read = file.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        return read >= 8 ? buffer[..read] : null;
    }
}
