using Tessera.Catalog.Files.Postgres;
using Tessera.Catalog.Files.Sqlite;
using Tessera.Catalog.Files;
using Tessera.Host.Handlers;
using Tessera.Host.Publishing;
using Tessera.Tasks.Stores.Postgres;
using Tessera.Tasks.Stores.Sqlite;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Workers;

namespace Tessera.Host;

/// <summary>
/// What a server and a worker share: the task store and the file store (on SQLite in the data folder, or on
/// PostgreSQL when a database is given), the task handlers, and the wake-up signal (fed by PostgreSQL's
/// NOTIFY when there is one).
/// </summary>
public sealed class ServiceParts : IAsyncDisposable
{
    private readonly PostgresTaskStore? _postgresTasks;
    private readonly PostgresFileRegistry? _postgresFiles;

    private ServiceParts(DbTaskStore tasks, DbFileRegistry registry, FileStore files, PostgresTaskStore? postgresTasks,
        PostgresFileRegistry? postgresFiles, int previewSize)
    {
        // Both live in one database: the transaction that publishes a task also makes its result file visible.
        tasks.PublishStep = (connection, transaction, lease, result, cancellationToken) =>
            registry.ConfirmPendingAsync(connection, transaction, result.OutputFileId, lease.Token.ToString(), cancellationToken);
        Tasks = tasks;
        Files = files;
        _postgresTasks = postgresTasks;
        _postgresFiles = postgresFiles;
        Previews = new Previews(files, previewSize);
        Handlers = [new IndexTaskHandler(files, Previews), new StackTaskHandler(files, Previews), new MosaicTaskHandler(files, Previews), new CloudRemovalTaskHandler(files, Previews), new FusionTaskHandler(files, Previews), new ZonalTaskHandler(files, Previews), new CompositeTaskHandler(files, Previews)];
    }

    public ITaskStore Tasks { get; }

    /// <summary>Previews and legends of stored files.</summary>
    public Previews Previews { get; }

    public FileStore Files { get; }

    public TaskSignal Signal { get; } = new();

    /// <summary>What this process's workers measured (stage durations, failures, heartbeats).</summary>
    public TaskMetrics Metrics { get; } = new();

    public IReadOnlyList<ITaskHandler> Handlers { get; }

    /// <param name="database">An Npgsql connection string ("Host=…;Username=…;Database=…"), or null for SQLite
    /// in <paramref name="dataFolder"/>/tessera.db.</param>
    /// <param name="previewSize">Longest side of previews, in pixels.</param>
    public static async Task<ServiceParts> OpenAsync(string dataFolder, string? database, long maxUploadBytes, int previewSize = 1024)
    {
        Directory.CreateDirectory(dataFolder);
        var fileOptions = new FileStoreOptions(dataFolder, maxUploadBytes);
        if (string.IsNullOrWhiteSpace(database))
        {
            var path = Path.Combine(dataFolder, "tessera.db");
            var registry = await SqliteFileRegistry.OpenAsync(path);
            return new ServiceParts(await SqliteTaskStore.OpenAsync(path), registry, new FileStore(fileOptions, registry), null, null, previewSize);
        }
        var connection = DatabaseUrl.ToConnectionString(database)!;
        var tasks = await PostgresTaskStore.OpenAsync(connection);
        var files = await PostgresFileRegistry.OpenAsync(connection);
        return new ServiceParts(tasks, files, new FileStore(fileOptions, files), tasks, files, previewSize);
    }

    /// <summary>Workers of this process named after the machine and process (<see cref="WorkerIdPrefix"/>), sharing <see cref="Signal"/>.</summary>
    public IReadOnlyList<TaskWorker> Workers(int count, ServiceOptions options, Microsoft.Extensions.Logging.ILoggerFactory? logs = null) =>
        Enumerable.Range(0, count).Select(i => new TaskWorker(Tasks, Handlers,
            new WorkerOptions($"{WorkerIdPrefix(Environment.ProcessId)}{i}", Path.Combine(options.DataFolder, "work"),
                LeaseDuration: options.Lease, HeartbeatInterval: options.Lease / 4, PollInterval: options.PollInterval,
                MaxAttempts: options.MaxAttempts, GiveUpAfter: options.GiveUpAfter),
            Signal, metrics: Metrics, log: logs?.CreateLogger("Tessera.Worker"))).ToList();

    /// <summary>What the ids of the workers of process <paramref name="processId"/> on this machine start with.</summary>
    public static string WorkerIdPrefix(int processId) => $"{Environment.MachineName}:{processId}:";

    /// <summary>
    /// Removes what attempts that are over left unpublished: pending result files (the attempt died or lost
    /// its task between registering and publishing). Returns how many files were removed.
    /// </summary>
    public Task<int> SweepAsync(CancellationToken cancellationToken) =>
        Files.SweepPendingAsync((token, ct) => Tasks.IsLeaseHeldAsync(Guid.Parse(token), ct), cancellationToken);

    /// <summary>Turns other processes' notifications into wake-ups until stopped (nothing to do on SQLite).</summary>
    public Task ListenAsync(CancellationToken stopping) =>
        _postgresTasks?.ListenAsync(Signal, stopping) ?? Task.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        if (_postgresTasks is not null)
        {
            await _postgresTasks.DisposeAsync();
        }
        if (_postgresFiles is not null)
        {
            await _postgresFiles.DisposeAsync();
        }
    }
}
