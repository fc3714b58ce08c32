using System.Text.Json;
using Tessera.Cli.Tests.Faults;
using Tessera.Host;
using Tessera.Host.Requests;
using Tessera.Raster;
using Tessera.Tasks;
using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Cli.Tests;

/// <summary>
/// One large task split into tile tasks that four real <c>tessera worker</c> processes on one PostgreSQL share, stitched
/// into one COG by the task itself: the same pixels as the task run whole, and each tile as the reference computes it.
/// </summary>
public sealed class SplitTaskTests(PostgresServer postgres) : IClassFixture<PostgresServer>, IAsyncLifetime
{
    private QueueOnPostgres? _queue;

    private QueueOnPostgres Queue => _queue!;

    private ServiceParts Parts => Queue.Parts;

    public async Task InitializeAsync() => _queue = await new QueueOnPostgres(postgres).OpenAsync();

    public async Task DisposeAsync() => await Queue.DisposeAsync();

    private async Task<long> UploadAsync(string sample)
    {
        await using var content = File.OpenRead(SampleData.File(sample));
        return (await Parts.Files.AddAsync(content, sample, "alice")).Id;
    }

    /// <summary>The task as the API makes it: checked against its operation, then split on the grid its inputs give.</summary>
    private async Task<(NewTask Task, IReadOnlyList<Window> Tiles)> CheckedAsync(string name, int type, object inputs, object parameters, int tile)
    {
        var inputsJson = JsonSerializer.SerializeToElement(inputs);
        var checkedTask = await TaskRequests.CheckAsync(type, inputsJson, JsonSerializer.SerializeToElement(parameters), "alice", Parts.Files,
            CancellationToken.None);
        Assert.NotNull(checkedTask.Splittable);
        var tiles = TaskSplit.Tiles(checkedTask.Splittable!, tile);
        var task = new NewTask(name, new TaskType(type), "alice", inputsJson.GetRawText(), ParametersJson: checkedTask.ParametersJson);
        return (TaskSplit.Split(task, tiles), tiles);
    }

    [SampleDataFact]
    public async Task AnNdviAndAMosaicSplitIntoTiles_OverFourWorkers_EqualTheSameTasksRunWhole()
    {
        var red = await UploadAsync("S2A_29RKH_20200219_L2A_B04.tif");
        var nir = await UploadAsync("S2A_29RKH_20200219_L2A_B08.tif");
        var west = await UploadAsync("L8_mosaic_cog1_utm18n.tif");
        var east = await UploadAsync("L8_mosaic_cog2_utm18n.tif");
        var ndviInputs = new { nir = new { fileId = nir }, red = new { fileId = red } };
        var mosaicInputs = new { a = new { fileId = west }, b = new { fileId = east } };

        // 1098 x 1098 pixels in tiles of 275: 4 x 4 = 16 tasks. The mosaic (about 1186 x 792) in tiles of 300: 4 x 3.
        var (ndvi, ndviTiles) = await CheckedAsync("ndvi split", 7, ndviInputs, new { }, 275);
        Assert.Equal(16, ndviTiles.Count);
        var (mosaic, mosaicTiles) = await CheckedAsync("mosaic split", 2, mosaicInputs, new { method = "feather" }, 300);
        Assert.Equal(12, mosaicTiles.Count);
        var split = await Parts.Tasks.CreateAsync(ndvi);
        var splitMosaic = await Parts.Tasks.CreateAsync(mosaic);
        var whole = await Parts.Tasks.CreateAsync(ndvi with { Name = "ndvi whole", Parts = null });
        var wholeMosaic = await Parts.Tasks.CreateAsync(mosaic with { Name = "mosaic whole", Parts = null });
        var partIds = (await Parts.Tasks.DependenciesAsync(split.Id)).Where(d => d.Kind == TaskDependency.Part).Select(d => d.TaskId).Order().ToList();
        Assert.Equal(16, partIds.Count);
        var mosaicPartIds = (await Parts.Tasks.DependenciesAsync(splitMosaic.Id)).Select(d => d.TaskId).ToList();
        Assert.Equal(12, mosaicPartIds.Count);
        var all = partIds.Concat(mosaicPartIds).Append(split.Id).Append(splitMosaic.Id).Append(whole.Id).Append(wholeMosaic.Id).ToList();

        using var workers = new WorkerProcesses(Queue.Data, Queue.Database, leaseSeconds: 30);
        for (var i = 0; i < 4; i++)
        {
            workers.Start();
        }
        await QueueOnPostgres.EventuallyAsync(async () => await Queue.CountAsync(QueueOnPostgres.Ended) == all.Count ? "" : null,
            TimeSpan.FromMinutes(4), "the split tasks did not all end", 200);

        var processes = new HashSet<int>();
        foreach (var id in all)
        {
            var task = (await Parts.Tasks.GetAsync(id))!;
            Assert.True(task.Status == TaskStatus.PublishCompleted, $"task {id} ({task.Name}): {task.Status.SeedName()} {task.ErrorMessage}");
        }
        // Every tile ended before the task that stitches them started, and the tiles were shared by the workers.
        foreach (var (parent, parts) in new[] { (split.Id, partIds), (splitMosaic.Id, mosaicPartIds) })
        {
            var started = Assert.Single(await Parts.Tasks.AttemptsAsync(parent)).StartedAt;
            foreach (var part in parts)
            {
                var attempt = Assert.Single(await Parts.Tasks.AttemptsAsync(part));
                Assert.True(attempt.EndedAt <= started, $"part {part} ended at {attempt.EndedAt}, after task {parent} started at {started}");
                processes.Add(WorkerProcesses.ProcessIdOf(attempt.WorkerId));
            }
        }
        Assert.True(processes.Count >= 2, $"the 28 tiles were all taken by one worker process ({string.Join(", ", processes)})");

        foreach (var (stitched, alone, tiles, bands) in new[] { (split.Id, whole.Id, ndviTiles, 1), (splitMosaic.Id, wholeMosaic.Id, mosaicTiles, 3) })
        {
            var stitchedPath = await OutputPathAsync(stitched);
            var alonePath = await OutputPathAsync(alone);
            // One COG with overviews, on the whole task's grid...
            using (var a = RasterDataset.Open(stitchedPath))
            using (var b = RasterDataset.Open(alonePath))
            {
                Assert.Empty(Tessera.Raster.Info.CogLayout.Problems(a));
                Assert.True(a.Band(1).OverviewCount >= 1);
                Assert.Equal((b.Width, b.Height, b.BandCount, b.CrsWkt), (a.Width, a.Height, a.BandCount, a.CrsWkt));
                Assert.True(a.GeoTransform.IsCloseTo(b.GeoTransform, 1e-9));
                Assert.Equal(b.Band(1).DataType, a.Band(1).DataType);
                Assert.Equal(b.Band(1).NoData, a.Band(1).NoData);
            }
            // ...whose every pixel is the task's run whole (compared by numpy as stored, NaN for nodata).
            for (var band = 1; band <= bands; band++)
            {
                var compared = PythonReference.Run("compare_bands.py", new { a = stitchedPath, aBand = band, b = alonePath, bBand = band });
                Assert.True(compared.GetProperty("identical").GetBoolean(), compared.ToString());
                Assert.True(compared.GetProperty("validCount").GetInt64() > 100_000, compared.ToString());
            }
        }
        // And the NDVI is the index numpy computes from the bands, pixel by pixel.
        NdviReference.AssertEqual(await OutputPathAsync(split.Id), await Parts.Files.PathOfAsync(nir, "alice"), await Parts.Files.PathOfAsync(red, "alice"));
    }

    private async Task<string> OutputPathAsync(long task) =>
        await Parts.Files.PathOfAsync((await Parts.Tasks.GetAsync(task))!.Result!.OutputFileId, "alice");
}
