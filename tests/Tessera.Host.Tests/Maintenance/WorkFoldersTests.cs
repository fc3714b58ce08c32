using Tessera.Host.Maintenance;
using Tessera.Host;
using Tessera.Tasks.Workers;
using Tessera.Tasks;
using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Host.Tests.Maintenance;

/// <summary>The work-folder sweep: what no attempt needs goes once it has been left alone long enough; the rest stays.</summary>
public sealed class WorkFoldersTests : IAsyncLifetime
{
    private readonly TempFolder _root = new();
    private ServiceParts? _parts;

    private string Work => _root.File("data/work");

    public async Task InitializeAsync() => _parts = await ServiceParts.OpenAsync(_root.File("data"), null, 1L << 30);

    public async Task DisposeAsync()
    {
        await _parts!.DisposeAsync();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _root.Dispose();
    }

    private string Folder(string relative, bool old = true)
    {
        var folder = Directory.CreateDirectory(Path.Combine(Work, relative)).FullName;
        File.WriteAllText(Path.Combine(folder, "output.tif"), "x");
        if (old)
        {
            Directory.SetLastWriteTimeUtc(folder, DateTime.UtcNow.AddHours(-2));
        }
        return folder;
    }

    private Task<ProcessingTask> NewTaskAsync(string name) => _parts!.Tasks.CreateAsync(new NewTask(name, new TaskType(7), "alice", "{}"));

    [Fact]
    public async Task Sweep_RemovesWhatNoAttemptNeeds_AndKeepsHeldAttemptsResultsAndFreshFolders()
    {
        var tasks = _parts!.Tasks;
        var held = await NewTaskAsync("held");
        var (claimed, heldLease) = (await tasks.ClaimNextAsync("w", TimeSpan.FromMinutes(5)))!;
        Assert.Equal(held.Id, claimed.Id);
        var heldFolder = Folder($"{held.Id}/{heldLease.Token:N}");

        var failed = await NewTaskAsync("publish failed");
        var (_, lease) = (await tasks.ClaimNextAsync("w", TimeSpan.FromMinutes(5)))!;
        Assert.Equal(failed.Id, lease.TaskId);
        await tasks.AdvanceThroughAsync(lease, [TaskStatus.Downloaded, TaskStatus.Processing]);
        await tasks.AdvanceThroughAsync(lease, [TaskStatus.ProcessingCompleted, TaskStatus.Publishing]);
        await tasks.AdvanceAsync(lease, TaskStatus.PublishFailed, "disk gone");
        var result = Folder($"{failed.Id}/{lease.Token:N}");
        var stale = Folder($"{failed.Id}/{Guid.NewGuid():N}");

        var waiting = await NewTaskAsync("waiting");
        var deadAttempt = Folder($"{waiting.Id}/{Guid.NewGuid():N}");
        var gone = Folder($"{waiting.Id + 1000}/{Guid.NewGuid():N}");
        var junk = Folder("not-a-task");
        var fresh = Folder($"{waiting.Id}/{Guid.NewGuid():N}", old: false);

        var removed = await new WorkFolders(Work, tasks).SweepAsync(TimeSpan.FromHours(1), CancellationToken.None);

        Assert.Equal(4, removed); // the dead attempt, the stale one, the gone task's folder, the junk
        Assert.False(Directory.Exists(deadAttempt));
        Assert.False(Directory.Exists(stale));
        Assert.False(Directory.Exists(Path.GetDirectoryName(gone)));
        Assert.False(Directory.Exists(junk));
        Assert.True(File.Exists(Path.Combine(heldFolder, "output.tif")));
        Assert.True(File.Exists(Path.Combine(result, "output.tif"))); // a publish retry reads it
        Assert.True(Directory.Exists(fresh));
        Assert.Equal(TaskWorker.AttemptFolder(Work, failed.Id, lease.Token), result);
    }
}
