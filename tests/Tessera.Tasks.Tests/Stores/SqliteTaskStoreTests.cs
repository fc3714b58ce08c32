using Tessera.Tasks.Stores;
using Tessera.Tasks.Stores.Sqlite;
using Tessera.TestSupport;

namespace Tessera.Tasks.Tests.Stores;

public sealed class SqliteTaskStoreTests : TaskStoreContract, IDisposable
{
    private readonly TempFolder _folder = new();

    protected override async Task<ITaskStore> OpenEmptyAsync() =>
        await SqliteTaskStore.OpenAsync(_folder.File("tasks.db"), Clock);

    [Fact]
    public async Task Reopening_KeepsTasks_AndAppliesMigrationsOnce()
    {
        var first = await SqliteTaskStore.OpenAsync(_folder.File("tasks.db"), Clock);
        var task = await first.CreateAsync(new NewTask("x", new TaskType(11), "bob", "{}"));
        var second = await SqliteTaskStore.OpenAsync(_folder.File("tasks.db"), Clock);
        Assert.Equal(task, await second.GetAsync(task.Id));
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _folder.Dispose();
    }
}
