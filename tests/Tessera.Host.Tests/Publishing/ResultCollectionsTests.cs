using Tessera.Catalog.Files;
using Tessera.Catalog.Scenes;
using Tessera.Host.Maintenance;
using Tessera.Host.Publishing;
using Tessera.Tasks;
using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Host.Tests.Publishing;

/// <summary>
/// A published raster result becomes an item of its task type's collection in the same transaction; a database
/// whose tasks were published before the catalog held them gets their items when it first opens with it; deleting
/// the task takes its item away.
/// </summary>
public sealed class ResultCollectionsTests : IDisposable
{
    private readonly TempFolder _root = new();

    private static async Task<StoredFile> UploadAsync(FileStore files, string sample)
    {
        await using var content = File.OpenRead(SampleData.File(sample));
        return await files.AddAsync(content, sample, "alice");
    }

    [SampleDataFact]
    public async Task APublishedNdvi_IsAnItemOfTheNdviCollection_BackfilledOnce_AndGoneWithItsTask()
    {
        var data = _root.File("data");
        long taskId;
        StoredFile output;
        await using (var parts = await ServiceParts.OpenAsync(data, database: null, maxUploadBytes: 1L << 32))
        {
            var nir = await UploadAsync(parts.Files, "S2A_29RKH_20200219_L2A_B08.tif");
            var red = await UploadAsync(parts.Files, "S2A_29RKH_20200219_L2A_B04.tif");
            var inputs = System.Text.Json.JsonSerializer.Serialize(new { nir = new { fileId = nir.Id, band = 1 }, red = new { fileId = red.Id, band = 1 } });
            var task = await parts.Tasks.CreateAsync(new NewTask("ndvi 29RKH", new TaskType(7), "alice", inputs));
            Assert.True(await parts.Workers(1, new ServiceOptions(data)).Single().RunOnceAsync(CancellationToken.None));
            var done = (await parts.Tasks.GetAsync(task.Id))!;
            Assert.True(done.Status == TaskStatus.PublishCompleted, done.ErrorMessage);
            taskId = task.Id;
            output = (await parts.Files.GetAsync(done.Result!.OutputFileId, "alice"))!;

            var item = await parts.Catalog.GetItemAsync("ndvi", taskId.ToString(), "alice");
            Assert.NotNull(item);
            Assert.Equal((output.LonLatBounds, "alice", taskId, output.Id), (item.Bbox, item.Owner, item.TaskId!.Value, item.FileId!.Value));
            Assert.Equal($"/files/{output.Id}/download", item.Assets.Single(a => a.Key == "data").Href);
            Assert.Null(await parts.Catalog.GetItemAsync("ndvi", taskId.ToString(), "bob"));

            // As a database of a version without the catalog: no collections, no items.
            foreach (var collection in await parts.Catalog.ListCollectionsAsync())
            {
                await parts.Catalog.DeleteCollectionAsync(collection.Id);
            }
        }
        await using (var parts = await ServiceParts.OpenAsync(data, database: null, maxUploadBytes: 1L << 32))
        {
            Assert.Equal(ResultCollections.All.Select(c => c.Id), (await parts.Catalog.ListCollectionsAsync()).Select(c => c.Id));
            var item = await parts.Catalog.GetItemAsync("ndvi", taskId.ToString(), null);
            Assert.Equal((output.LonLatBounds, output.Id), (item?.Bbox, item?.FileId));

            var cleanup = new TaskCleanup(parts.Tasks, parts.Catalog, parts.Files, Path.Combine(data, "work"));
            Assert.Equal([taskId], (await cleanup.RunAsync(TimeSpan.Zero, null, CancellationToken.None)).Tasks);
            Assert.Null(await parts.Catalog.GetItemAsync("ndvi", taskId.ToString(), null));
        }
    }

    public void Dispose() => _root.Dispose();
}
