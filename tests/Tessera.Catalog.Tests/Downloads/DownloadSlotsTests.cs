using Tessera.Catalog.Downloads;
using Tessera.Catalog.Scenes;
using Tessera.Data;
using Tessera.TestSupport;

namespace Tessera.Catalog.Tests.Downloads;

/// <summary>A provider's download slots, on each database: as many holders as it allows, the next one waiting its turn.</summary>
public abstract class DownloadSlotsContract : IDisposable
{
    protected TempFolder Root { get; } = new();

    protected abstract Task<Database> OpenDatabaseAsync();

    [Fact]
    public async Task AProviderAllowingTwo_HasTwoHolders_AndTheThirdWaitsForOneToEnd()
    {
        var database = await OpenDatabaseAsync();
        await DbSceneCatalog.OpenAsync(database); // migrates the slots' table
        var slots = new DownloadSlots(database);
        var first = await slots.AcquireAsync("https://a.org/", 2, null, CancellationToken.None);
        var second = await slots.AcquireAsync("https://a.org/", 2, null, CancellationToken.None);
        // Another provider has slots of its own.
        await using (await slots.AcquireAsync("https://b.org/", 1, null, CancellationToken.None))
        {
        }

        var waited = false;
        var third = slots.AcquireAsync("https://a.org/", 2, () => waited = true, CancellationToken.None);
        await Task.Delay(700);
        Assert.False(third.IsCompleted);
        Assert.True(waited);

        await first.DisposeAsync();
        await using (await third.WaitAsync(TimeSpan.FromSeconds(10)))
        {
            Assert.True(third.IsCompletedSuccessfully);
        }
        await second.DisposeAsync();
    }

    public virtual void Dispose()
    {
        Root.Dispose();
        GC.SuppressFinalize(this);
    }
}

public sealed class SqliteDownloadSlotsTests : DownloadSlotsContract
{
    protected override async Task<Database> OpenDatabaseAsync() => await SqliteDatabase.OpenAsync(Root.File("slots.db"));
}

public sealed class PostgresDownloadSlotsTests(PostgresServer server) : DownloadSlotsContract, IClassFixture<PostgresServer>
{
    private PostgresDatabase? _database;
    private string? _schema;

    protected override Task<Database> OpenDatabaseAsync() => Task.FromResult<Database>(_database ??= PostgresDatabase.Open(server.NewSchema(out _schema)));

    public override void Dispose()
    {
        _database?.DisposeAsync().AsTask().GetAwaiter().GetResult();
        if (_schema is not null)
        {
            server.DropSchema(_schema);
        }
        base.Dispose();
    }
}
