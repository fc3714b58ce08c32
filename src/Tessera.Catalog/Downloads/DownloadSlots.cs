using System.Globalization;
using Tessera.Data;

namespace Tessera.Catalog.Downloads;

/// <summary>
/// How many downloads of a provider run at once, across every worker on every host: a download holds one of the
/// provider's <c>max_parallel_downloads</c> slots in the database (on the database's clock) while it runs, renewed
/// as it goes; a worker that dies lets its slot lapse after the hold. A download that finds none free waits its turn.
/// </summary>
public sealed class DownloadSlots(Database database)
{
    private static readonly SqlScripts Scripts = new(typeof(DownloadSlots).Assembly, "Tessera.Catalog.Scenes");

    /// <summary>How long a slot is held without being renewed.</summary>
    public static readonly TimeSpan Hold = TimeSpan.FromSeconds(60);

    private string Sql(string name) => Scripts.Get(database.Dialect, "Queries", name).Replace("{now}", database.Now, StringComparison.Ordinal);

    /// <summary>Holds a slot of <paramref name="provider"/> until disposed, waiting while all <paramref name="max"/> are held.</summary>
    /// <param name="waiting">Called once when the download has to wait.</param>
    public async Task<IAsyncDisposable> AcquireAsync(string provider, int max, Action? waiting, CancellationToken cancellationToken)
    {
        var id = Guid.NewGuid().ToString("N");
        var told = false;
        while (true)
        {
            await using (var connection = await database.OpenConnectionAsync(cancellationToken))
            await using (var transaction = await connection.BeginTransactionAsync(cancellationToken))
            {
                await using (var turn = SqlCommands.Create(connection, transaction, Sql("lock_provider"), ("provider", provider)))
                {
                    await turn.ExecuteScalarAsync(cancellationToken);
                }
                await using var acquire = SqlCommands.Create(connection, transaction, Sql("acquire_slot"), ("id", id), ("provider", provider),
                    ("lease", (long)Hold.TotalMilliseconds), ("max", (long)max));
                var taken = await acquire.ExecuteNonQueryAsync(cancellationToken) > 0;
                await transaction.CommitAsync(cancellationToken);
                if (taken)
                {
                    return new Slot(this, id);
                }
            }
            if (!told)
            {
                waiting?.Invoke();
                told = true;
            }
            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    private async Task ExecuteAsync(string name, string id, CancellationToken cancellationToken)
    {
        await using var connection = await database.OpenConnectionAsync(cancellationToken);
        await using var command = SqlCommands.Create(connection, null, Sql(name), ("id", id), ("lease", (long)Hold.TotalMilliseconds));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>A held slot: renewed every third of the hold until disposed, then given back.</summary>
    private sealed class Slot : IAsyncDisposable
    {
        private readonly DownloadSlots _owner;
        private readonly string _id;
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _renewing;

        public Slot(DownloadSlots owner, string id)
        {
            _owner = owner;
            _id = id;
            _renewing = RenewAsync();
        }

        private async Task RenewAsync()
        {
            try
            {
                while (true)
                {
                    await Task.Delay(Hold / 3, _stop.Token);
                    await _owner.ExecuteAsync("renew_slot", _id, _stop.Token);
                }
            }
            catch (OperationCanceledException)
            {
            }
            catch (Exception)
            {
                // The database is away: the slot lapses after its hold, which is what a dead worker's does too.
            }
        }

        public async ValueTask DisposeAsync()
        {
            await _stop.CancelAsync();
            await _renewing;
            _stop.Dispose();
            await _owner.ExecuteAsync("release_slot", _id, CancellationToken.None);
        }
    }
}
