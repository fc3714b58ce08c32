using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using Tessera.Catalog;
using Tessera.Catalog.Converters;
using Tessera.Catalog.Scenes;
using Tessera.Catalog.Stac;
using Tessera.Host.Catalog;
using Tessera.Processing.Calculation;
using Tessera.Processing.Indices;
using Tessera.Processing.Radiometry;
using Tessera.Raster;
using Tessera.Raster.Output;
using Tessera.Tasks;
using Tessera.Tasks.Workers;

namespace Tessera.Host.Radcor;

/// <summary>
/// The collection builder's processing steps on one scene's item (parameters: <c>item</c> "COLLECTION/ID" on this
/// machine, <c>collection</c> the step writes into, <c>args</c>), each making an item of the same id and asset keys in
/// its collection: <b>correction</b> (Landsat Level-1 and Sentinel-2 L1C digital numbers to top-of-atmosphere
/// reflectance, or with <c>method: dos</c> to surface reflectance by dark-object subtraction: <see cref="Reflectance"/>),
/// <b>harmonization</b> (Sentinel-2 reflectance to Landsat-8 OLI's bandpasses, <see cref="HlsBandpass"/>) and
/// <b>publish</b> (every band as a COG, a quicklook of red, green and blue, and the indexes asked for, NDVI and EVI by
/// default, as assets) and <b>post</b>'s crop (every raster of the item cut to a longitude/latitude box as the CROP
/// type cuts). The pixels are computed in the PROCESSING stage into the work folder; PUBLISHING moves them into
/// the item's folder and writes the item. The other assets (metadata files, quality layers) go along unchanged.
/// </summary>
public sealed class RadcorTaskHandler(ISceneCatalog catalog, CatalogAssets assets) : ITaskHandler
{
    public IReadOnlyCollection<TaskType> Types { get; } =
        [CatalogTaskTypes.Correction, CatalogTaskTypes.CollectionPublish, CatalogTaskTypes.Harmonization, CatalogTaskTypes.PostCrop];

    private const string Output = "radcor";
    private const string ListFile = "assets.json";

    /// <summary>A file the step made: its asset key, title and band name.</summary>
    private sealed record Made(string Key, string File, string Title, string? Band, string[] Roles, string? MediaType = null);

    private sealed record Parameters(string Collection, string Id, string Target, JsonObject Args)
    {
        public static Parameters Of(ProcessingTask task)
        {
            var body = JsonNode.Parse(task.ParametersJson) as JsonObject ?? throw new InvalidOperationException("the step's parameters are not a JSON object");
            var item = body["item"]!.GetValue<string>();
            var slash = item.IndexOf('/');
            return new Parameters(item[..slash], item[(slash + 1)..], body["collection"]!.GetValue<string>(), body["args"] as JsonObject ?? []);
        }
    }

    private async Task<CatalogItem> SourceAsync(Parameters p, CancellationToken cancellationToken) =>
        await catalog.GetItemAsync(p.Collection, p.Id, null, cancellationToken)
            ?? throw new CatalogException($"item '{p.Id}' is not in collection '{p.Collection}'");

    public async Task DownloadAsync(TaskContext context, CancellationToken cancellationToken)
    {
        // Nothing to fetch: the step before it brought the item here. It must be there, with its bands.
        var source = await SourceAsync(Parameters.Of(context.Task), cancellationToken);
        if (context.Task.Type != CatalogTaskTypes.PostCrop)
        {
            _ = SceneBands.Of(source);
        }
    }

    public async Task ProcessAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var p = Parameters.Of(context.Task);
        var source = await SourceAsync(p, cancellationToken);
        var folder = Directory.CreateDirectory(Path.Combine(context.WorkFolder, Output)).FullName;
        if (context.Task.Type == CatalogTaskTypes.PostCrop)
        {
            var cropped = await Task.Run(() => Crop(source, p, folder, context, cancellationToken), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(folder, ListFile), JsonSerializer.Serialize(cropped), cancellationToken);
            return;
        }
        var scene = SceneBands.Of(source);
        var made = await Task.Run(() => context.Task.Type == CatalogTaskTypes.Correction ? Correct(scene, p, folder, context, cancellationToken)
            : context.Task.Type == CatalogTaskTypes.Harmonization ? Harmonize(scene, source, folder, context, cancellationToken)
            : Publish(scene, p, folder, context, cancellationToken), cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(folder, ListFile), JsonSerializer.Serialize(made), cancellationToken);
    }

    private static List<Made> Correct(SceneBands scene, Parameters p, string folder, TaskContext context, CancellationToken cancellationToken)
    {
        var dos = RadcorArgs.Method(p.Args) == "dos";
        var bands = scene.Bands.Where(b => b.Calibration is not null).ToList();
        if (bands.Count == 0)
        {
            throw new CatalogException($"item '{p.Id}' has no band whose reflectance calibration is known" +
                (scene.Sensor == SceneBands.Landsat ? " (its MTL file must be downloaded with it)" : ""));
        }
        var made = new List<Made>();
        for (var i = 0; i < bands.Count; i++)
        {
            var band = bands[i];
            context.Progress.Report(new TaskProgress($"correction {band.Asset.Key}", i, bands.Count));
            var (gain, bias) = band.Calibration!.Value;
            double? haze = dos ? Reflectance.Haze(band.Path, 1, gain, bias, band.NoData, cancellationToken) ?? 0 : null;
            var file = Path.Combine(folder, Name(band.Asset.Key));
            Reflectance.Write(band.Path, 1, file, gain, bias, band.NoData, haze, band.Asset.Key, cancellationToken: cancellationToken);
            made.Add(new Made(band.Asset.Key, file, $"{band.Asset.Key} {(dos ? "surface" : "top-of-atmosphere")} reflectance", band.Asset.Band,
                ["data", "reflectance"]));
        }
        return made;
    }

    private static List<Made> Harmonize(SceneBands scene, CatalogItem source, string folder, TaskContext context, CancellationToken cancellationToken)
    {
        if (scene.Sensor != SceneBands.Sentinel2)
        {
            throw new CatalogException($"item '{source.Id}' is not a Sentinel-2 scene: harmonization adjusts Sentinel-2 MSI reflectance to Landsat-8 OLI");
        }
        var made = new List<Made>();
        var bands = scene.Bands.Where(b => HlsBandpass.MsiToOli.ContainsKey(BandName(b))).ToList();
        for (var i = 0; i < bands.Count; i++)
        {
            var band = bands[i];
            using (var ds = RasterDataset.Open(band.Path))
            {
                if (!ds.Band(1).DataType.IsFloatingPoint() && !ds.Band(1).HasScaleOffset)
                {
                    throw new CatalogException($"asset {band.Asset.Key} of item '{source.Id}' holds digital numbers: correct the scene to reflectance first");
                }
            }
            context.Progress.Report(new TaskProgress($"harmonization {band.Asset.Key}", i, bands.Count));
            var (slope, intercept) = HlsBandpass.MsiToOli[BandName(band)];
            var file = Path.Combine(folder, Name(band.Asset.Key));
            Reflectance.Write(band.Path, 1, file, slope, intercept, null, null, band.Asset.Key, cancellationToken: cancellationToken);
            made.Add(new Made(band.Asset.Key, file, $"{band.Asset.Key} adjusted to Landsat-8 OLI", band.Asset.Band, ["data", "reflectance"]));
        }
        return made;
    }

    private static string BandName(SceneBand band) =>
        System.Text.RegularExpressions.Regex.Match(band.Asset.Key + " " + Path.GetFileName(band.Path), "B(0[1-9]|1[0-2]|8A)",
            System.Text.RegularExpressions.RegexOptions.IgnoreCase) is { Success: true } m ? m.Value.ToUpperInvariant() : band.Asset.Key;

    private static List<Made> Publish(SceneBands scene, Parameters p, string folder, TaskContext context, CancellationToken cancellationToken)
    {
        var made = new List<Made>();
        foreach (var band in scene.Bands)
        {
            context.Progress.Report(new TaskProgress($"publish {band.Asset.Key}", made.Count, scene.Bands.Count));
            var file = Path.Combine(folder, Name(band.Asset.Key));
            using (var ds = RasterDataset.Open(band.Path))
            {
                if (Raster.Info.CogLayout.Problems(ds).Count == 0)
                {
                    File.Copy(band.Path, file);
                }
                else
                {
                    CogCopy.Write(ds, file, cancellationToken: cancellationToken);
                }
            }
            made.Add(new Made(band.Asset.Key, file, band.Asset.Title ?? band.Asset.Key, band.Asset.Band, band.Asset.Roles?.ToArray() ?? ["data"]));
        }
        var reflectance = scene.Bands.Count > 0 && scene.Bands.All(IsReflectance);
        foreach (var name in RadcorArgs.Indexes(p.Args))
        {
            var index = SpectralIndices.Find(name)!;
            var roles = index.Roles.Select(r => (Role: r, Band: scene.Named(Common(r)))).ToList();
            if (roles.Any(r => r.Band is null) || (index.ScaleSensitive && !reflectance))
            {
                continue; // the scene lacks a band it needs, or holds digital numbers an index on reflectance cannot take
            }
            context.Progress.Report(new TaskProgress($"publish {index.Name}", made.Count, scene.Bands.Count));
            var file = Path.Combine(folder, Name(index.Name));
            Calculator.Run(new CalculationRequest(roles.Select(r => new BandInput(r.Role, r.Band!.Path)).ToList(), index.Formula, file, index.Name),
                cancellationToken: cancellationToken);
            made.Add(new Made(index.Name, file, index.Title, null, ["data", "index"]));
        }
        if (Quicklook(scene, folder) is { } quicklook)
        {
            made.Add(new Made("thumbnail", quicklook, "Quicklook (red, green, blue)", null, ["thumbnail"], "image/png"));
        }
        return made;
    }

    /// <summary>Every GeoTIFF of the item on this machine cut to the box, as the CROP type cuts (the box in longitude and latitude).</summary>
    private static List<Made> Crop(CatalogItem source, Parameters p, string folder, TaskContext context, CancellationToken cancellationToken)
    {
        var crop = Tessera.Processing.Operations.OperationCatalog.Find("CROP")!;
        var box = RadcorArgs.Box(p.Args);
        var parameters = Tessera.Processing.Operations.ParameterValues.Parse(
            JsonSerializer.SerializeToElement(new { bbox = string.Join(',', box.Select(v => v.ToString("R", CultureInfo.InvariantCulture))) }), crop);
        var rasters = source.Assets.Select(a => (Asset: a, Path: CatalogAssets.LocalPathOf(a)))
            .Where(r => r.Path is not null && (r.Path.EndsWith(".tif", StringComparison.OrdinalIgnoreCase) || r.Path.EndsWith(".tiff", StringComparison.OrdinalIgnoreCase)))
            .ToList();
        var made = new List<Made>();
        foreach (var (asset, path) in rasters)
        {
            context.Progress.Report(new TaskProgress($"crop {asset.Key}", made.Count, rasters.Count));
            var file = Path.Combine(folder, Name(asset.Key));
            crop.Run(new Tessera.Processing.Operations.OperationRun([new("image", path!, null)], parameters, folder, file), null, cancellationToken);
            made.Add(new Made(asset.Key, file, $"{asset.Title ?? asset.Key}, cropped", asset.Band, asset.Roles?.ToArray() ?? ["data"]));
        }
        return made.Count > 0 ? made
            : throw new CatalogException($"item '{p.Id}' of collection '{p.Collection}' has no GeoTIFF on this machine to crop");
    }

    private static bool IsReflectance(SceneBand band)
    {
        using var ds = RasterDataset.Open(band.Path);
        return ds.Band(1).DataType.IsFloatingPoint() || ds.Band(1).HasScaleOffset;
    }

    /// <summary>The common name an index's role is: its swir1 is swir16, its swir2 swir22.</summary>
    private static string Common(string role) => role switch
    {
        "swir" or "swir1" => "swir16",
        "swir2" => "swir22",
        _ => role,
    };

    /// <summary>A PNG of red, green and blue (each stretched as previews are), when the scene has the three on one grid.</summary>
    private static string? Quicklook(SceneBands scene, string folder)
    {
        var rgb = new[] { "red", "green", "blue" }.Select(scene.Named).ToList();
        if (rgb.Any(b => b is null))
        {
            return null;
        }
        RasterGrid grid;
        RasterDataType type;
        using (var first = RasterDataset.Open(rgb[0]!.Path))
        {
            (grid, type) = (first.Grid, first.Band(1).DataType);
        }
        var vrt = VirtualRaster.Xml(grid, rgb.Select(b => new VirtualRaster.Band(type, [new VirtualRaster.Source(b!.Path, 1, grid.FullWindow)])).ToList());
        var preview = Raster.Rendering.Preview.Render(vrt, 512);
        var file = Path.Combine(folder, "thumbnail.png");
        File.WriteAllBytes(file, preview.Png);
        return file;
    }

    private static string Name(string key) => OutputNames.FileName(key);

    public async Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken)
    {
        var p = Parameters.Of(context.Task);
        var source = await SourceAsync(p, cancellationToken);
        var folder = Path.Combine(context.WorkFolder, Output);
        var made = JsonSerializer.Deserialize<List<Made>>(await File.ReadAllTextAsync(Path.Combine(folder, ListFile), cancellationToken)) ?? [];
        var target = await catalog.GetItemAsync(p.Target, p.Id, null, cancellationToken);
        await RadcorDispatch.EnsureCollectionAsync(catalog, p.Target, $"Scenes of the collection builder: {StepName(context.Task.Type)} of {p.Collection}",
            p.Collection, cancellationToken);
        var item = (target ?? source) with { Collection = p.Target, TaskId = null, FileId = null };
        var itemFolder = assets.ItemFolder(item);
        Directory.CreateDirectory(itemFolder);
        var written = new Dictionary<string, CatalogAsset>(StringComparer.Ordinal);
        foreach (var m in made)
        {
            var file = Path.Combine(itemFolder, Path.GetFileName(m.File));
            File.Move(Path.Combine(folder, Path.GetFileName(m.File)), file, overwrite: true);
            written[m.Key] = m.MediaType is { } mediaType
                ? new CatalogAsset(m.Key, Tessera.Catalog.Local.ProductScanner.AssetHref(item.Collection, item.Id, m.Key), mediaType, m.Title, m.Roles,
                    null, FileChecksum.Of(file), new FileInfo(file).Length, file)
                : ConvertedAssets.Of(item, m.Key, new ConvertedFile(m.Key, file, m.Title, m.Band), file) with { Roles = m.Roles };
        }
        // The assets the step did not make (metadata, quality layers) go along as they are in the source.
        var kept = source.Assets.Where(a => !written.ContainsKey(a.Key))
            .Select(a => p.Target == p.Collection ? a : Carry(a, item, itemFolder)).ToList();
        var properties = (JsonObject)item.Properties.DeepClone();
        properties["processing:lineage"] = $"{StepName(context.Task.Type)} of {p.Collection}/{p.Id}";
        await catalog.UpsertItemsAsync([item with { Assets = [.. kept, .. written.Values], Properties = properties }],
            cancellationToken);
        return null;
    }

    /// <summary>An asset of the source item in the target one: its file copied into the target's folder when it is on this
    /// machine, else its remote address as it was.</summary>
    private static CatalogAsset Carry(CatalogAsset asset, CatalogItem item, string itemFolder)
    {
        if (CatalogAssets.LocalPathOf(asset) is not { } path)
        {
            return asset with { LocalPath = null };
        }
        var file = Path.Combine(itemFolder, Path.GetFileName(path));
        File.Copy(path, file, overwrite: true);
        return asset with { Href = Tessera.Catalog.Local.ProductScanner.AssetHref(item.Collection, item.Id, asset.Key), LocalPath = file };
    }

    private static string StepName(TaskType type) => type == CatalogTaskTypes.Correction ? "correction"
        : type == CatalogTaskTypes.Harmonization ? "harmonization" : type == CatalogTaskTypes.PostCrop ? "crop" : "publish";

    public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) => Task.CompletedTask;
}
