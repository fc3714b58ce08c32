using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;
using Tessera.Raster;
using Tessera.Raster.Info;

namespace Tessera.Catalog.Local;

/// <summary>
/// Finds the products in a folder of this machine and makes them items of a collection: band files grouped by product
/// (<see cref="ProductNames"/>), the time, platform and cloud cover from the product's metadata when it is there (a
/// Landsat MTL file, a Sentinel-2 MTD_MSIL1C/2A file or a STAC item beside the bands), otherwise from the names; the
/// footprint, CRS and grid of each band from GDAL. Assets are served by this server (their href is its path) and lie
/// where they were found. Files that are no product's band are reported, not guessed at.
/// </summary>
public static class ProductScanner
{
    /// <summary>Files looked at, at the most.</summary>
    public const int MaxFiles = 100_000;

    public sealed record Skipped(string File, string Reason);

    public sealed record Result(IReadOnlyList<CatalogItem> Items, IReadOnlyList<CatalogBand> Bands, IReadOnlyList<Skipped> Skipped);

    public static Result Scan(string folder, string collection, IProgress<int>? progress = null, CancellationToken cancellationToken = default)
    {
        var root = Path.GetFullPath(folder);
        // Links are not followed: what is scanned lies under the folder.
        var files = Directory.EnumerateFiles(root, "*", new EnumerationOptions
            {
                RecurseSubdirectories = true,
                IgnoreInaccessible = true,
                AttributesToSkip = FileAttributes.ReparsePoint,
            })
            .Take(MaxFiles + 1).ToList();
        if (files.Count > MaxFiles)
        {
            throw new CatalogException($"more than {MaxFiles} files: add a part of the folder at a time");
        }
        string Relative(string path) => Path.GetRelativePath(root, path);
        var skipped = new List<Skipped>();
        var mtl = files.Where(f => f.EndsWith("_MTL.txt", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => Path.GetFileName(f)[..^"_MTL.txt".Length].ToUpperInvariant(), f => f);
        var sidecars = files.Where(f => f.EndsWith("_stac_item.json", StringComparison.OrdinalIgnoreCase))
            .ToDictionary(f => Path.GetFileName(f)[..^"_stac_item.json".Length].ToUpperInvariant(), f => f);
        var recognised = new List<ProductFile>();
        var metadataFiles = mtl.Values.Concat(sidecars.Values).ToHashSet(StringComparer.Ordinal);
        foreach (var file in files.Where(f => !metadataFiles.Contains(f)))
        {
            var extension = Path.GetExtension(file).ToLowerInvariant();
            if (extension is not (".tif" or ".tiff" or ".jp2"))
            {
                if (!Path.GetFileName(file).StartsWith("MTD_MSIL", StringComparison.OrdinalIgnoreCase))
                {
                    skipped.Add(new Skipped(Relative(file), "not a raster of a product"));
                }
                continue;
            }
            var safe = SafeProduct(root, file);
            if (ProductNames.Recognise(file, safe) is { } product)
            {
                recognised.Add(product);
            }
            else
            {
                skipped.Add(new Skipped(Relative(file), "not named as a Sentinel-2 or Landsat product's band"));
            }
        }
        var items = new List<CatalogItem>();
        var sensors = new HashSet<string>();
        foreach (var product in recognised.GroupBy(p => p.Product).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            cancellationToken.ThrowIfCancellationRequested();
            var first = product.First();
            var assets = new List<CatalogAsset>();
            Bounds? box = null;
            var epsgs = new HashSet<int?>();
            var bands = first.Sensor == "sentinel-2" ? SensorBands.Sentinel2 : SensorBands.LandsatOli;
            foreach (var file in product.OrderBy(f => f.Key, StringComparer.Ordinal))
            {
                RasterDescription description;
                try
                {
                    using var dataset = RasterDataset.Open(file.Path);
                    description = RasterDescription.Of(dataset);
                }
                catch (RasterException e)
                {
                    skipped.Add(new Skipped(Relative(file.Path), e.Message));
                    continue;
                }
                if (description.LonLatBounds is not { } b)
                {
                    skipped.Add(new Skipped(Relative(file.Path), "no georeference: its footprint is unknown"));
                    continue;
                }
                box = box is { } u ? new Bounds(Math.Min(u.MinX, b.MinX), Math.Min(u.MinY, b.MinY), Math.Max(u.MaxX, b.MaxX), Math.Max(u.MaxY, b.MaxY)) : b;
                epsgs.Add(description.Epsg);
                assets.Add(Asset(collection, product.Key, file, description, SensorBands.Find(bands, file.Key)));
            }
            if (assets.Count == 0 || box is not { } bbox)
            {
                continue;
            }
            sensors.Add(first.Sensor);
            var metadata = Metadata(product.Key, first, mtl, sidecars, product.Select(p => p.Path));
            foreach (var extra in metadata.Files)
            {
                assets.Add(new CatalogAsset(Path.GetFileName(extra).Contains("MTL", StringComparison.OrdinalIgnoreCase) ? "MTL" : "metadata",
                    AssetHref(collection, product.Key, Path.GetFileName(extra).Contains("MTL", StringComparison.OrdinalIgnoreCase) ? "MTL" : "metadata"),
                    extra.EndsWith(".json", StringComparison.OrdinalIgnoreCase) ? "application/json" : extra.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? "application/xml" : "text/plain",
                    Path.GetFileName(extra), ["metadata"], LocalPath: extra, Size: new FileInfo(extra).Length));
            }
            var time = metadata.Time ?? first.Date;
            var properties = new JsonObject
            {
                ["constellation"] = first.Sensor,
                ["instruments"] = first.Sensor == "sentinel-2" ? new JsonArray("msi") : new JsonArray("oli", "tirs"),
            };
            if (epsgs.Count == 1 && epsgs.Single() is { } epsg)
            {
                properties["proj:epsg"] = epsg;
            }
            items.Add(new CatalogItem(collection, product.Key, time, time, time, StacItems.Polygon(bbox.MinX, bbox.MinY, bbox.MaxX, bbox.MaxY), bbox,
                metadata.CloudCover, metadata.Platform ?? first.Platform, first.GridCode, properties, assets));
            progress?.Report(items.Count);
        }
        var collectionBands = new List<CatalogBand>();
        if (sensors.Contains("sentinel-2"))
        {
            collectionBands.AddRange(SensorBands.Sentinel2);
        }
        if (sensors.Contains("landsat"))
        {
            collectionBands.AddRange(SensorBands.LandsatOli);
        }
        return new Result(items, collectionBands, skipped);
    }

    /// <summary>The server's path of an item's asset (the STAC API serves the file from where it lies).</summary>
    public static string AssetHref(string collection, string item, string key) =>
        $"/stac/collections/{Uri.EscapeDataString(collection)}/items/{Uri.EscapeDataString(item)}/assets/{Uri.EscapeDataString(key)}";

    private static CatalogAsset Asset(string collection, string item, ProductFile file, RasterDescription description, CatalogBand? band)
    {
        var extra = RasterAssetFields.Of(description);
        if (band is not null)
        {
            extra["eo:bands"] = StacDocuments.Bands([band]);
        }
        var jp2 = file.Path.EndsWith(".jp2", StringComparison.OrdinalIgnoreCase);
        return new CatalogAsset(file.Key, AssetHref(collection, item, file.Key), jp2 ? "image/jp2" : "image/tiff; application=geotiff",
            Path.GetFileName(file.Path), band is null ? ["data", "metadata"] : ["data"], band?.CommonName ?? band?.Name, null,
            new FileInfo(file.Path).Length, file.Path, extra);
    }

    private sealed record ProductMetadata(DateTimeOffset? Time, double? CloudCover, string? Platform, IReadOnlyList<string> Files);

    private static ProductMetadata Metadata(string product, ProductFile first, Dictionary<string, string> mtl, Dictionary<string, string> sidecars,
        IEnumerable<string> bandFiles)
    {
        if (mtl.TryGetValue(product, out var mtlPath))
        {
            var read = LandsatMtl.Read(mtlPath);
            return new ProductMetadata(read.Acquired, read.CloudCover, read.Platform, [mtlPath]);
        }
        if (sidecars.TryGetValue(product, out var sidecar))
        {
            try
            {
                var properties = JsonNode.Parse(File.ReadAllText(sidecar))?["properties"] as JsonObject ?? [];
                DateTimeOffset? time = properties["datetime"]?.GetValueKind() == JsonValueKind.String
                    && DateTimeOffset.TryParse(properties["datetime"]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture,
                        System.Globalization.DateTimeStyles.AssumeUniversal, out var t) ? t : null;
                double? cloud = JsonNumbers.IsNumber(properties["eo:cloud_cover"]) ? JsonNumbers.ToDouble(properties["eo:cloud_cover"]!) : null;
                return new ProductMetadata(time, cloud, properties["platform"]?.ToString(), [sidecar]);
            }
            catch (JsonException)
            {
                return new ProductMetadata(null, null, null, []);
            }
        }
        var safe = bandFiles.Select(f => Sentinel2Metadata.Find(f)).FirstOrDefault(m => m is not null);
        if (safe is not null && first.Sensor == "sentinel-2")
        {
            var read = Sentinel2Metadata.Read(safe);
            return new ProductMetadata(read.Time, read.CloudCover, read.Platform, [safe]);
        }
        return new ProductMetadata(null, null, null, []);
    }

    /// <summary>The SAFE product a file lies in (its .SAFE folder's name without the extension), or null.</summary>
    private static string? SafeProduct(string root, string file)
    {
        for (var dir = Path.GetDirectoryName(file); dir is not null && dir.Length >= root.Length; dir = Path.GetDirectoryName(dir))
        {
            if (dir.EndsWith(".SAFE", StringComparison.OrdinalIgnoreCase))
            {
                return Path.GetFileName(dir)[..^5];
            }
        }
        return null;
    }
}
