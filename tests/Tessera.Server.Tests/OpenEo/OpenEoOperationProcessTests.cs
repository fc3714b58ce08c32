using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Tessera.Host;
using Tessera.Processing.Graphs.Descriptions;
using Tessera.Processing.Operations;
using Tessera.Raster;
using Tessera.Server.Access;
using Tessera.Server.Hosting;
using Tessera.TestSupport;

namespace Tessera.Server.Tests.OpenEo;

/// <summary>
/// Tessera's operations run as processes of namespace <c>tessera</c> through <c>POST /openeo/1.2/result</c> over the
/// Slovenian collection: the NDVI operation on a date's red and near-infrared cubes equals numpy's NDVI; a band merge
/// of the two equals the band files warped by GDAL onto the result's grid; a mosaic of two dates cut to overlapping
/// halves (boxes on the scenes' pixel edges, in their UTM zone) equals gdal.Warp's of the same halves, the first
/// on top, and a cube of several dates is a mosaic of its dates. What cannot run is refused naming the node and
/// argument: a cube of several dates or bands where one raster of one band is taken, an operation giving a table, and
/// (in a synchronous request) operations whose inputs are beyond the request's budget, before they run. A batch job
/// runs its operations once, with the result (its download stage stops at the first); its estimate runs none.
/// </summary>
public sealed partial class OpenEoResultTests
{
    /// <summary>A node calling Tessera's operation of that process id.</summary>
    private static JsonObject Operation(string process, JsonObject arguments) => new()
    {
        ["process_id"] = process, ["namespace"] = Tessera.Processing.Graphs.ProcessRegistry.TesseraNamespace, ["arguments"] = arguments,
    };

    private static JsonObject FilterBands(string data, string band) =>
        Node("filter_bands", new JsonObject { ["data"] = From(data), ["bands"] = new JsonArray(band) });

    [SampleDataFact]
    public async Task TheNdviOperation_OnOneDatesBands_EqualsNumpy()
    {
        var result = await ResultAsync(Body(
            ("load", Load("2015-07-11", "2015-07-12")),
            ("red", FilterBands("load", "B04")),
            ("nir", FilterBands("load", "B08")),
            ("index", Operation("ndvi", new JsonObject { ["nir"] = From("nir"), ["red"] = From("red") }))), "tessera-ndvi.tif");

        var reference = PythonReference.Run("openeo_reduce_reference.py", Reference(result, "max", ["20150711"]));
        AssertEqualsNumpy(reference, minimumValid: 3000);
        using var written = RasterDataset.Open(result);
        Assert.Equal(("NDVI", 1), (written.Band(1).Description, written.BandCount)); // named after the operation's output band
    }

    [SampleDataFact]
    public async Task TheBandMergeOperation_EqualsTheBandFilesWarpedOntoItsGrid_ItsBandsNamedAfterTheInputs()
    {
        var merge = new JsonObject { ["nir"] = From("nir"), ["red"] = From("red") };
        var result = await ResultAsync(Body(
            ("load", Load("2015-08-30", "2015-08-31")),
            ("red", FilterBands("load", "B04")),
            ("nir", FilterBands("load", "B08")),
            ("merged", Operation(OperationProcesses.IdOf(OperationCatalog.Find(6)!), new JsonObject { ["data"] = merge }))), "tessera-merge.tif");

        var reference = PythonReference.Run("openeo_cube_reference.py", new
        {
            result, mode = "resample", method = "near", bands = new[] { Band("20150830", "B08"), Band("20150830", "B04") },
        });
        AssertEqualsNumpy(reference, minimumValid: 2 * 3000);
        Assert.Equal(0.0, reference.GetProperty("maxAbsDiff").GetDouble());
        using var written = RasterDataset.Open(result);
        Assert.Equal(["nir", "red"], Enumerable.Range(1, written.BandCount).Select(b => written.Band(b).Description));
    }

    [SampleDataFact]
    public async Task TheMosaicOperation_OfTwoDatesOverlappingHalves_EqualsGdalWarp_TheFirstOnTop()
    {
        // Boxes on the scenes' pixel edges in their UTM zone: the cubes' grids are exactly these windows of the files.
        RasterGrid patch;
        using (var ds = RasterDataset.Open(SampleData.File("S2_L1C_slovenia_20150711_13bands.tif")))
        {
            patch = ds.Grid;
        }
        var t = patch.Transform;
        (double West, double South, double East, double North) Rows(int first, int end) =>
            (t.OriginX, t.OriginY + end * t.PixelHeight, t.OriginX + patch.Width * t.PixelWidth, t.OriginY + first * t.PixelHeight);
        var top = Rows(0, 60);
        var bottom = Rows(40, patch.Height);
        JsonObject LoadBox((double West, double South, double East, double North) box, string start, string end) => Node("load_collection", new JsonObject
        {
            ["id"] = "slovenia",
            ["spatial_extent"] = new JsonObject { ["west"] = box.West, ["south"] = box.South, ["east"] = box.East, ["north"] = box.North, ["crs"] = 32633 },
            ["temporal_extent"] = new JsonArray(start, end),
            ["bands"] = new JsonArray("B04", "B08"),
        });
        string Crop((double West, double South, double East, double North) box, string date)
        {
            var path = _out.File($"crop-{date}-{box.North.ToString(CultureInfo.InvariantCulture)}.tif");
            ExternalTool.Run("gdal_translate", "-q", "-b", "4", "-b", "8", "-projwin", Invariant(box.West), Invariant(box.North), Invariant(box.East),
                Invariant(box.South), SampleData.File($"S2_L1C_slovenia_{date}_13bands.tif"), path);
            return path;
        }
        var mosaic = OperationProcesses.IdOf(OperationCatalog.Find(2)!);

        var halves = await ResultAsync(Body(
            ("top", LoadBox(top, "2015-07-11", "2015-07-12")),
            ("bottom", LoadBox(bottom, "2015-08-30", "2015-08-31")),
            ("mosaic", Operation(mosaic, new JsonObject
            {
                ["data"] = new JsonObject { ["top"] = From("top"), ["bottom"] = From("bottom") }, ["method"] = "first",
            }))), "tessera-mosaic.tif");

        var reference = PythonReference.Run("mosaic_reference.py", new
        {
            inputs = new[] { Crop(top, "20150711"), Crop(bottom, "20150830") }, output = halves, method = "first", resampling = "near",
        });
        Assert.Equal((patch.Width, patch.Height), (reference.GetProperty("width").GetInt32(), reference.GetProperty("height").GetInt32()));
        foreach (var band in reference.GetProperty("bands").EnumerateArray())
        {
            Assert.True(band.GetProperty("differing").GetInt32() == 0, reference.ToString());
            Assert.True(band.GetProperty("valid").GetInt32() == patch.Width * patch.Height, reference.ToString());
        }
        using (var written = RasterDataset.Open(halves))
        {
            Assert.Equal(["B04", "B08"], Enumerable.Range(1, written.BandCount).Select(b => written.Band(b).Description));
        }

        // One cube of two dates: each date an image of the mosaic, in time order (the later date under the earlier).
        var series = await ResultAsync(Body(
            ("dates", LoadBox(Rows(0, patch.Height), "2015-07-11", "2015-07-21")),
            ("later", LoadBox(Rows(0, patch.Height), "2015-08-30", "2015-08-31")),
            ("both", Node("merge_cubes", new JsonObject { ["cube1"] = From("dates"), ["cube2"] = From("later") })),
            ("mosaic", Operation(mosaic, new JsonObject { ["data"] = From("both"), ["method"] = "last" }))), "tessera-series.tif");
        var last = PythonReference.Run("mosaic_reference.py", new
        {
            inputs = new[] { Crop(Rows(0, patch.Height), "20150711"), Crop(Rows(0, patch.Height), "20150830") }, output = series, method = "last",
            resampling = "near",
        });
        Assert.All(last.GetProperty("bands").EnumerateArray().Select(b => b.GetProperty("differing").GetInt32()), d => Assert.Equal(0, d));
    }

    [SampleDataFact]
    public async Task WhatAnOperationCannotTake_IsRefused_NamingTheNodeAndArgument()
    {
        var twoDates = await RefusedAsync(Body(
            ("load", Load("2015-07-01", "2015-08-01")),
            ("red", FilterBands("load", "B04")),
            ("nir", FilterBands("load", "B08")),
            ("index", Operation("ndvi", new JsonObject { ["nir"] = From("nir"), ["red"] = From("red") }))));
        Assert.Equal(("DataCubeDimensionsUnsupported", "node 'index', argument 'nir': the cube has 2 times; the operation takes one raster here: " +
            "reduce the dimension t first (reduce_dimension) or keep one date (filter_temporal)"), twoDates);

        var twoBands = await RefusedAsync(Body(
            ("load", Load("2015-07-11", "2015-07-12")),
            ("red", FilterBands("load", "B04")),
            ("index", Operation("ndvi", new JsonObject { ["nir"] = From("load"), ["red"] = From("red") }))));
        Assert.Equal(("ProcessArgumentInvalid", "node 'index', argument 'nir': the input is one band, the cube has 2 (B04, B08): choose one with filter_bands"), twoBands);

        // The operation's own checks of its parameters (here: a resolution must be above 0), as the node's argument's.
        var badParameter = await RefusedAsync(Body(
            ("load", Load("2015-07-01", "2015-08-01")),
            ("mosaic", Operation(OperationProcesses.IdOf(OperationCatalog.Find(2)!), new JsonObject { ["data"] = From("load"), ["resolution"] = -10 }))));
        Assert.Equal("ProcessArgumentInvalid", badParameter.Code);
        Assert.StartsWith("node 'mosaic', argument 'resolution': ", badParameter.Message);

        var oneImage = await RefusedAsync(Body(
            ("load", Load("2015-07-11", "2015-07-12")),
            ("mosaic", Operation(OperationProcesses.IdOf(OperationCatalog.Find(2)!), new JsonObject { ["data"] = From("load") }))));
        Assert.Equal(("ProcessArgumentInvalid", "node 'mosaic', argument 'data': MOSAIC takes at least 2 images; 1 given"), oneImage);

        var table = OperationCatalog.All.Single(o => o.Output == OutputKind.Table);
        var zonal = await RefusedAsync(Body(
            ("load", Load("2015-07-11", "2015-07-12")),
            ("zones", Operation(OperationProcesses.IdOf(table), new JsonObject { ["data"] = new JsonObject { ["image"] = From("load") } }))));
        Assert.Equal("ProcessUnsupported", zonal.Code);
        Assert.EndsWith($"{table.Name} gives a table, which a data cube cannot hold; run it as a task instead", zonal.Message);
    }

    [SampleDataFact]
    public async Task OperationsBeyondTheSynchronousBudget_AreRefusedBeforeTheyRun()
    {
        await using var strict = await RunningServer.StartAsync((data, url) => new ServerOptions(new ServiceOptions(data, Workers: 0,
            AllowedHosts: "127.0.0.1", OpenEoSyncMegapixels: 0), url), ("alice", "alice", Role.Write));
        await FillAsync(strict);
        var body = Body(
            ("load", Load("2015-07-11", "2015-07-12")),
            ("red", FilterBands("load", "B04")),
            ("nir", FilterBands("load", "B08")),
            ("index", Operation("ndvi", new JsonObject { ["nir"] = From("nir"), ["red"] = From("red") })));

        var refused = await strict.Client("alice").PostAsync("/openeo/1.2/result", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var error = JsonNode.Parse(await refused.Content.ReadAsStringAsync())!;
        Assert.Equal("ComputationTooLarge", error["code"]!.GetValue<string>());
        Assert.StartsWith("node 'index': the graph's operations read about 0", error["message"]!.GetValue<string>());
        Assert.EndsWith("million band pixels, more than the 0 million a synchronous request may: run it as a batch job instead", error["message"]!.GetValue<string>());
    }

    [SampleDataFact]
    public async Task ABatchJob_RunsItsOperationWithTheResult_AndItsEstimateRunsNone()
    {
        var body = Body(
            ("load", Load("2015-08-30", "2015-08-31")),
            ("red", FilterBands("load", "B04")),
            ("nir", FilterBands("load", "B08")),
            ("index", Operation("ndvi", new JsonObject { ["nir"] = From("nir"), ["red"] = From("red") })));
        var created = await _http.PostAsync("/openeo/1.2/jobs", new StringContent(body.ToJsonString(), Encoding.UTF8, "application/json"));
        Assert.True(created.StatusCode == HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        var id = created.Headers.GetValues("OpenEO-Identifier").Single();

        var estimate = JsonNode.Parse(await _http.GetStringAsync($"/openeo/1.2/jobs/{id}/estimate"))!;
        Assert.Equal(0, estimate["costs"]!.GetValue<int>());
        Assert.Null(estimate["size"]); // the operation's output is not known before it runs
        var errors = OpenEoValidator.Validate([new OpenEoValidator.Response("get", "/jobs/{job_id}/estimate", 200, estimate)]);
        Assert.True(errors.Count == 0, string.Join("\n", errors));

        Assert.Equal("finished", await _http.RunToEndAsync(id));
        var logs = JsonNode.Parse(await _http.GetStringAsync($"/openeo/1.2/jobs/{id}/logs"))!["logs"]!.AsArray().Select(l => l!["message"]!.GetValue<string>()).ToList();
        Assert.Contains("the scenes up to node 'index' are here; Tessera's operations run with the result", logs);
        Assert.DoesNotContain(logs, l => l.StartsWith("index (ndvi)", StringComparison.Ordinal)); // not run in the download stage
        var results = JsonNode.Parse(await _http.GetStringAsync($"/openeo/1.2/jobs/{id}/results"))!;
        using var anonymous = new HttpClient();
        var path = _out.File("job-operation.tif");
        await File.WriteAllBytesAsync(path, await anonymous.GetByteArrayAsync(results["assets"]!["result.tif"]!["href"]!.GetValue<string>()));

        AssertEqualsNumpy(PythonReference.Run("openeo_reduce_reference.py", Reference(path, "max", ["20150830"])), minimumValid: 3000);
    }
}
