using Tessera.Catalog.Files;
using Tessera.Host.Handlers;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;
using Tessera.Tasks;
using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Host.Tests.Handlers;

/// <summary>
/// The whole pipeline without HTTP: files uploaded to the store, an index task queued in SQLite, a worker
/// running it with real GDAL, the result registered back in the file store — and checked against the
/// independent numpy + GDAL reference.
/// </summary>
public sealed class OperationTaskHandlerTests : IDisposable
{
    private readonly TempFolder _root = new();

    private async Task<(ITaskStore Tasks, FileStore Files, TaskWorker Worker)> ServiceAsync()
    {
        _parts = await ServiceParts.OpenAsync(_root.File("data"), database: null, maxUploadBytes: 1L << 32);
        return (_parts.Tasks, _parts.Files, _parts.Workers(1, new ServiceOptions(_root.File("data"))).Single());
    }

    private ServiceParts? _parts;

    private static string Inputs(params (string Role, long FileId)[] roles) =>
        System.Text.Json.JsonSerializer.Serialize(roles.ToDictionary(r => r.Role, r => new { fileId = r.FileId, band = 1 }));

    /// <summary>The legend names its colormap and carries the histogram of what the preview draws (from the sample kept
    /// as the COG was written): every pixel of the preview counted once, in a bin, below, above, or transparent (nodata).</summary>
    private static void AssertLegend(FileStore files, StoredFile output, string colormap)
    {
        var legend = File.ReadAllText(files.CompanionPath(output, "legend.json"));
        Assert.Contains($"\"colormap\":\"{colormap}\"", legend);
        var histogram = System.Text.Json.JsonDocument.Parse(legend).RootElement.GetProperty("histograms")[0];
        using var image = Tessera.Raster.RasterDataset.Open(files.CompanionPath(output, "preview.png"));
        var alpha = new byte[image.Width * image.Height];
        image.Read<byte>(4, new Tessera.Raster.Window(0, 0, image.Width, image.Height), alpha);
        Assert.Equal((long)image.Width * image.Height, histogram.GetProperty("counts").EnumerateArray().Sum(c => c.GetInt64())
            + histogram.GetProperty("below").GetInt64() + histogram.GetProperty("above").GetInt64() + alpha.LongCount(a => a == 0));
    }

    private static async Task<StoredFile> UploadAsync(FileStore files, string sample, string owner)
    {
        await using var content = File.OpenRead(SampleData.File(sample));
        return await files.AddAsync(content, sample, owner);
    }

    [SampleDataFact]
    public async Task NdviTask_RunsToPublishCompleted_AndItsResultEqualsTheReference()
    {
        var (tasks, files, worker) = await ServiceAsync();
        var nir = await UploadAsync(files, "S2A_29RKH_20200219_L2A_B08.tif", "alice");
        var red = await UploadAsync(files, "S2A_29RKH_20200219_L2A_B04.tif", "alice");
        var task = await tasks.CreateAsync(new NewTask("ndvi 29RKH", new TaskType(7), "alice",
            Inputs(("nir", nir.Id), ("red", red.Id)), OutputName: "ndvi-29RKH.tif"));

        Assert.True(await worker.RunOnceAsync(CancellationToken.None));

        var done = (await tasks.GetAsync(task.Id))!;
        Assert.True(done.Status == TaskStatus.PublishCompleted, done.ErrorMessage);
        var output = await files.GetAsync(done.Result!.OutputFileId, "alice");
        Assert.NotNull(output);
        Assert.Equal("ndvi-29RKH.tif", output.Name);
        Assert.Equal("Float32", output.Raster!.Bands[0].DataType);
        Assert.Equal("NDVI", output.Raster.Bands[0].Description);
        Assert.StartsWith("-11.97", done.Result.Bounds);
        // Published with its preview (longest side 1024 by default; the scene is 1098 pixels square) and legend.
        using (var preview = Tessera.Raster.RasterDataset.Open(files.CompanionPath(output, "preview.png")))
        {
            Assert.Equal((1024, 1024, 4), (preview.Width, preview.Height, preview.BandCount));
        }
        AssertLegend(files, output, "rdylgn");

        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "ndvi",
            output = await files.PathOfAsync(output.Id, "alice"),
            inputs = new Dictionary<string, object>
            {
                ["nir"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B08.tif") },
                ["red"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif") },
            },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
    }

    [SampleDataFact]
    public async Task EviTask_WithScaleParameter_EqualsTheReference()
    {
        var (tasks, files, worker) = await ServiceAsync();
        var ids = new Dictionary<string, long>();
        foreach (var (role, band) in new[] { ("nir", "B08"), ("red", "B04"), ("blue", "B02") })
        {
            ids[role] = (await UploadAsync(files, $"S2A_29RKH_20200219_L2A_{band}.tif", "alice")).Id;
        }
        var task = await tasks.CreateAsync(new NewTask("evi", new TaskType(8), "alice",
            Inputs(("nir", ids["nir"]), ("red", ids["red"]), ("blue", ids["blue"])),
            ParametersJson: """{"scale": 0.0001}"""));
        await worker.RunOnceAsync(CancellationToken.None);
        var done = (await tasks.GetAsync(task.Id))!;
        Assert.True(done.Status == TaskStatus.PublishCompleted, done.ErrorMessage);

        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "evi",
            output = await files.PathOfAsync(done.Result!.OutputFileId, "alice"),
            inputs = new Dictionary<string, object>
            {
                ["nir"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B08.tif"), scale = 0.0001 },
                ["red"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B04.tif"), scale = 0.0001 },
                ["blue"] = new { path = SampleData.File("S2A_29RKH_20200219_L2A_B02.tif"), scale = 0.0001 },
            },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
    }

    private const string Landsat = "LC08_L2SP_001062_20201031_20201106_02_T2_SR_";

    [SampleDataFact]
    public async Task SaviTask_WithItsSoilFactor_OnLandsatSurfaceReflectance_EqualsTheReference()
    {
        var (tasks, files, worker) = await ServiceAsync();
        var nir = await UploadAsync(files, $"{Landsat}B5.tif", "alice");
        var red = await UploadAsync(files, $"{Landsat}B4.tif", "alice");
        var task = await tasks.CreateAsync(new NewTask("savi", new TaskType(16), "alice", Inputs(("nir", nir.Id), ("red", red.Id)),
            ParametersJson: """{"scale": 0.0000275, "offset": -0.2, "L": 0.25}"""));
        Assert.True(await worker.RunOnceAsync(CancellationToken.None));
        var done = (await tasks.GetAsync(task.Id))!;
        Assert.True(done.Status == TaskStatus.PublishCompleted, done.ErrorMessage);
        var output = (await files.GetAsync(done.Result!.OutputFileId, "alice"))!;
        Assert.Equal($"savi-{task.Id}.tif", output.Name);
        AssertLegend(files, output, "rdylgn");

        var reference = PythonReference.Run("index_reference.py", new
        {
            index = "savi",
            output = await files.PathOfAsync(output.Id, "alice"),
            constants = new { L = 0.25 },
            inputs = new Dictionary<string, object>
            {
                ["nir"] = new { path = SampleData.File($"{Landsat}B5.tif"), scale = 0.0000275, offset = -0.2 },
                ["red"] = new { path = SampleData.File($"{Landsat}B4.tif"), scale = 0.0000275, offset = -0.2 },
            },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
    }

    [SampleDataTheory]
    [InlineData(15, "(b5 - b4) / (b5 + b4 + 0.1)", "b5", "b4")]
    [InlineData(8, "2.5 * (nir - red) / (nir + 2.4 * red + 1)", "nir", "red")]
    public async Task FormulaTasks_BandMathOrAnIndexsOwnFormula_EqualNumpy(int type, string formula, string first, string second)
    {
        var (tasks, files, worker) = await ServiceAsync();
        var nir = await UploadAsync(files, $"{Landsat}B5.tif", "alice");
        var red = await UploadAsync(files, $"{Landsat}B4.tif", "alice");
        var blue = await UploadAsync(files, $"{Landsat}B2.tif", "alice");
        var roles = type == 15 ? Inputs((first, nir.Id), (second, red.Id)) : Inputs(("nir", nir.Id), ("red", red.Id), ("blue", blue.Id));
        var task = await tasks.CreateAsync(new NewTask("formula", new TaskType(type), "alice", roles,
            ParametersJson: System.Text.Json.JsonSerializer.Serialize(new { formula, scale = 0.0000275, offset = -0.2 })));
        Assert.True(await worker.RunOnceAsync(CancellationToken.None));
        var done = (await tasks.GetAsync(task.Id))!;
        Assert.True(done.Status == TaskStatus.PublishCompleted, done.ErrorMessage);

        var reference = PythonReference.Run("formula_reference.py", new
        {
            formula,
            output = await files.PathOfAsync(done.Result!.OutputFileId, "alice"),
            inputs = new Dictionary<string, object>
            {
                [first] = new { path = SampleData.File($"{Landsat}B5.tif"), scale = 0.0000275, offset = -0.2 },
                [second] = new { path = SampleData.File($"{Landsat}B4.tif"), scale = 0.0000275, offset = -0.2 },
            },
        });
        Assert.True(reference.GetProperty("maskEqual").GetBoolean(), reference.ToString());
        Assert.True(reference.GetProperty("validCount").GetInt64() > 100_000, reference.ToString());
        Assert.True(reference.GetProperty("maxAbsDiff").GetDouble() <= 1e-5, reference.ToString());
        Assert.Equal(type == 15 ? formula : "EVI", reference.GetProperty("description").GetString());
    }

    [SampleDataFact]
    public async Task AnotherOwnersFile_OrAMissingRole_FailsTheDownload_WithTheReason()
    {
        var (tasks, files, worker) = await ServiceAsync();
        var bobs = await UploadAsync(files, "S2A_29RKH_20200219_L2A_B04.tif", "bob");
        var stolen = await tasks.CreateAsync(new NewTask("x", new TaskType(7), "alice",
            Inputs(("nir", bobs.Id), ("red", bobs.Id))));
        var incomplete = await tasks.CreateAsync(new NewTask("y", new TaskType(7), "bob", Inputs(("nir", bobs.Id))));
        await worker.RunOnceAsync(CancellationToken.None);
        await worker.RunOnceAsync(CancellationToken.None);

        var first = (await tasks.GetAsync(stolen.Id))!;
        Assert.Equal(TaskStatus.DownloadFailed, first.Status);
        Assert.Equal($"file {bobs.Id} does not exist", first.ErrorMessage);
        var second = (await tasks.GetAsync(incomplete.Id))!;
        Assert.Equal(TaskStatus.DownloadFailed, second.Status);
        Assert.Equal("NDVI needs input 'red'", second.ErrorMessage);
    }

    [SampleDataFact]
    public async Task ResultOfOneTask_IsTheInputOfAnother()
    {
        var (tasks, files, worker) = await ServiceAsync();
        var nir = await UploadAsync(files, "S2A_29RKH_20200219_L2A_B08.tif", "alice");
        var red = await UploadAsync(files, "S2A_29RKH_20200219_L2A_B04.tif", "alice");
        var first = await tasks.CreateAsync(new NewTask("ndvi", new TaskType(7), "alice",
            Inputs(("nir", nir.Id), ("red", red.Id))));
        await worker.RunOnceAsync(CancellationToken.None);
        var ndviFile = (await tasks.GetAsync(first.Id))!.Result!.OutputFileId;

        // NDWI-shaped arithmetic over (ndvi, red): only checks that a result feeds a new task end to end.
        var second = await tasks.CreateAsync(new NewTask("again", new TaskType(9), "alice",
            Inputs(("green", ndviFile), ("nir", red.Id))));
        await worker.RunOnceAsync(CancellationToken.None);
        var done = (await tasks.GetAsync(second.Id))!;
        Assert.True(done.Status == TaskStatus.PublishCompleted, done.ErrorMessage);
        Assert.NotEqual(ndviFile, done.Result!.OutputFileId);
    }

    /// <summary>Claims the task and runs it by hand up to a published but not yet recorded result.</summary>
    private async Task<(Lease Lease, TaskResult Result, TaskContext Context)> PublishUnrecordedAsync(ITaskStore tasks, FileStore files, long taskId)
    {
        var claimed = (await tasks.ClaimNextAsync("by-hand", TimeSpan.FromMinutes(5)))!;
        Assert.Equal(taskId, claimed.Task.Id);
        var handler = new OperationTaskHandler(files, _parts!.Previews);
        var context = new TaskContext(claimed.Task, TaskWorker.AttemptFolder(_root.File("data/work"), taskId, claimed.Lease.Token),
            new Progress<TaskProgress>(), claimed.Lease.Token);
        await handler.DownloadAsync(context, CancellationToken.None);
        await tasks.AdvanceAsync(claimed.Lease, TaskStatus.Downloaded);
        await tasks.AdvanceAsync(claimed.Lease, TaskStatus.Processing);
        await handler.ProcessAsync(context, CancellationToken.None);
        await tasks.AdvanceAsync(claimed.Lease, TaskStatus.ProcessingCompleted);
        await tasks.AdvanceAsync(claimed.Lease, TaskStatus.Publishing);
        return (claimed.Lease, (await handler.PublishAsync(context, CancellationToken.None))!, context);
    }

    [SampleDataFact]
    public async Task APublishedResult_IsInvisible_UntilTheTasksPublishCommits()
    {
        var (tasks, files, _) = await ServiceAsync();
        var nir = await UploadAsync(files, "S2A_29RKH_20200219_L2A_B08.tif", "alice");
        var red = await UploadAsync(files, "S2A_29RKH_20200219_L2A_B04.tif", "alice");
        var task = await tasks.CreateAsync(new NewTask("ndvi", new TaskType(7), "alice", Inputs(("nir", nir.Id), ("red", red.Id))));

        var (lease, result, _) = await PublishUnrecordedAsync(tasks, files, task.Id);

        Assert.Null(await files.GetAsync(result.OutputFileId, "alice"));
        Assert.Null(await files.GetAsync(result.OutputFileId, owner: null));
        Assert.Equal(2, (await files.ListAsync("alice")).Total);
        Assert.Equal(0, await _parts!.SweepAsync(CancellationToken.None)); // its attempt is alive: kept

        await _parts!.Commit.CommitAsync(lease, result, CancellationToken.None);

        Assert.Equal("ndvi-" + task.Id + ".tif", (await files.GetAsync(result.OutputFileId, "alice"))!.Name);
        Assert.Equal(3, (await files.ListAsync("alice")).Total);
        Assert.Equal(0, await _parts.SweepAsync(CancellationToken.None));
    }

    [SampleDataFact]
    public async Task AResultWhoseAttemptDied_NeverBecomesVisible_AndTheSweepRemovesItsRecordAndBytes()
    {
        var (tasks, files, worker) = await ServiceAsync();
        var nir = await UploadAsync(files, "S2A_29RKH_20200219_L2A_B08.tif", "alice");
        var red = await UploadAsync(files, "S2A_29RKH_20200219_L2A_B04.tif", "alice");
        var task = await tasks.CreateAsync(new NewTask("ndvi", new TaskType(7), "alice", Inputs(("nir", nir.Id), ("red", red.Id))));
        var (lease, result, _) = await PublishUnrecordedAsync(tasks, files, task.Id);
        var bytes = Directory.GetFiles(_root.File("data/files"), "ndvi-*.tif", SearchOption.AllDirectories);
        Assert.Single(bytes);

        // The worker "dies": its task goes back to the queue, and another worker runs it to the end.
        await tasks.ReleaseAsync(lease);
        Assert.Equal(1, await _parts!.SweepAsync(CancellationToken.None));
        Assert.False(File.Exists(bytes[0]));
        Assert.True(await worker.RunOnceAsync(CancellationToken.None));

        var done = (await tasks.GetAsync(task.Id))!;
        Assert.Equal(TaskStatus.PublishCompleted, done.Status);
        Assert.NotEqual(result.OutputFileId, done.Result!.OutputFileId);
        Assert.Null(await files.GetAsync(result.OutputFileId, owner: null));
        Assert.Single(Directory.GetFiles(_root.File("data/files"), "ndvi-*.tif", SearchOption.AllDirectories));
        // The dead attempt's token can publish nothing any more.
        await Assert.ThrowsAsync<LeaseLostException>(() => _parts!.Commit.CommitAsync(lease, result, CancellationToken.None));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Dispose();
    }
}
