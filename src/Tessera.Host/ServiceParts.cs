using Tessera.Catalog.Files;
using Tessera.Catalog.Local;
using Tessera.Catalog.Providers;
using Tessera.Catalog.Remote;
using Tessera.Catalog.Scenes;
using Tessera.Host.Catalog;
using Tessera.Data;
using Tessera.Host.Handlers;
using Tessera.Host.Publishing;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Stores.Postgres;
using Tessera.Tasks.Stores.Sqlite;
using Tessera.Tasks.Workers;

namespace Tessera.Host;

/// <summary>
/// What a server and a worker share: one database (SQLite in the data folder, or PostgreSQL when one is given) with
/// the task store and the file registry in it, the file store, publishing as one transaction over both, the task
/// handlers, and the wake-up signal (fed by PostgreSQL's NOTIFY when there is one).
/// </summary>
public sealed class ServiceParts : IAsyncDisposable
{
    private readonly Database _database;
    private readonly PostgresTaskStore? _postgresTasks;

    private ServiceParts(string dataFolder, Database database, DbTaskStore tasks, DbFileRegistry registry, FileStore files, DbSceneCatalog catalog, int previewSize,
        AllowedHosts allowedHosts, ProviderSettingsFile providers, CatalogFolders folders, TimeSpan taskRetryDelay, PublishTarget? publish, Tessera.Tasks.Jobs.DbJobStore jobs,
        Tessera.Tasks.Ingest.DbIngestionStore ingestions, int splitTile)
    {
        _database = database;
        _postgresTasks = tasks as PostgresTaskStore;
        Tasks = tasks;
        Files = files;
        Catalog = catalog;
        Commit = new ResultCommit(database, tasks, registry, catalog);
        Previews = new Previews(files, previewSize);
        Assets = new CatalogAssets(catalog, dataFolder, allowedHosts, providers, new Tessera.Catalog.Downloads.DownloadSlots(database), taskRetryDelay);
        Handlers = [new OperationTaskHandler(files, Previews, Assets, tasks), new HarvestTaskHandler(catalog, allowedHosts, providers),
            new CatalogAddTaskHandler(catalog, folders), new DownloadTaskHandler(catalog, Assets, folders),
            new DownloadUpkeepTaskHandler(catalog, Assets, folders), new PublishTaskHandler(catalog, publish, folders),
            new ConvertTaskHandler(catalog, Assets, folders), new Tessera.Host.OpenEo.JobTaskHandler(jobs, catalog, Assets, files, Previews, tasks, splitTile),
            new Tessera.Host.Radcor.RadcorTaskHandler(catalog, Assets)];
        Jobs = jobs;
        Ingestions = ingestions;
        CatalogFolders = folders;
        Publish = publish;
    }

    /// <summary>openEO's batch jobs and their logs.</summary>
    public Tessera.Tasks.Jobs.DbJobStore Jobs { get; }

    /// <summary>Areas of interest ingested, with the tasks made for them (POST /ingest).</summary>
    public Tessera.Tasks.Ingest.DbIngestionStore Ingestions { get; }

    /// <summary>How a published result becomes visible with its task: one transaction over both stores.</summary>
    public IResultCommit Commit { get; }

    public ITaskStore Tasks { get; }

    /// <summary>Previews and legends of stored files.</summary>
    public Previews Previews { get; }

    public FileStore Files { get; }

    /// <summary>The catalog's assets on this machine: where they lie, or downloaded into the data folder.</summary>
    public CatalogAssets Assets { get; }

    /// <summary>The folders of this machine whose products may be added to the catalog.</summary>
    public CatalogFolders CatalogFolders { get; }

    /// <summary>The server items' files are published to, or null when publishing is not configured.</summary>
    public PublishTarget? Publish { get; }

    /// <summary>The catalog of scenes: harvested and local collections, and the results collections.</summary>
    public ISceneCatalog Catalog { get; }

    public TaskSignal Signal { get; } = new();

    /// <summary>What this process's workers measured (stage durations, failures, heartbeats).</summary>
    public TaskMetrics Metrics { get; } = new();

    public IReadOnlyList<ITaskHandler> Handlers { get; }

    /// <param name="database">An Npgsql connection string ("Host=…;Username=…;Database=…"), or null for SQLite
    /// in <paramref name="dataFolder"/>/tessera.db.</param>
    /// <param name="previewSize">Longest side of previews, in pixels.</param>
    /// <param name="providerSettings">The provider settings file: credentials by URL prefix.</param>
    /// <param name="allowedHosts">Hosts on internal addresses that harvests and downloads may reach (<see cref="AllowedHosts.Parse"/>).</param>
    /// <param name="publish">The server items' files are published to, or null: none.</param>
    public static async Task<ServiceParts> OpenAsync(string dataFolder, string? database, long maxUploadBytes, int previewSize = 1024,
        string? allowedHosts = null, string? providerSettings = null, string? catalogFolders = null, TimeSpan? taskRetryDelay = null,
        PublishTarget? publish = null, int splitTile = 0)
    {
        var folders = Tessera.Catalog.Local.CatalogFolders.Parse(catalogFolders);
        var allowed = AllowedHosts.Parse(allowedHosts);
        var providers = providerSettings is null ? ProviderSettingsFile.Empty : ProviderSettingsFile.Load(providerSettings);
        Directory.CreateDirectory(dataFolder);
        var fileOptions = new FileStoreOptions(dataFolder, maxUploadBytes);
        if (string.IsNullOrWhiteSpace(database))
        {
            var sqlite = await SqliteDatabase.OpenAsync(Path.Combine(dataFolder, "tessera.db"));
            var registry = await DbFileRegistry.OpenAsync(sqlite);
            var sqliteTasks = await SqliteTaskStore.OpenAsync(sqlite);
            var fileStore = new FileStore(fileOptions, registry);
            return new ServiceParts(dataFolder, sqlite, sqliteTasks, registry, fileStore, await OpenCatalogAsync(sqlite, sqliteTasks, fileStore), previewSize, allowed, providers, folders, taskRetryDelay ?? TimeSpan.FromHours(1), publish, await Tessera.Tasks.Jobs.DbJobStore.OpenAsync(sqlite),
                await Tessera.Tasks.Ingest.DbIngestionStore.OpenAsync(sqlite), splitTile);
        }
        var postgres = PostgresDatabase.Open(DatabaseUrl.ToConnectionString(database)!);
        try
        {
            var tasks = await PostgresTaskStore.OpenAsync(postgres);
            var files = await DbFileRegistry.OpenAsync(postgres);
            var fileStore = new FileStore(fileOptions, files);
            return new ServiceParts(dataFolder, postgres, tasks, files, fileStore, await OpenCatalogAsync(postgres, tasks, fileStore), previewSize, allowed, providers, folders, taskRetryDelay ?? TimeSpan.FromHours(1), publish, await Tessera.Tasks.Jobs.DbJobStore.OpenAsync(postgres),
                await Tessera.Tasks.Ingest.DbIngestionStore.OpenAsync(postgres), splitTile);
        }
        catch
        {
            await postgres.DisposeAsync();
            throw;
        }
    }

    /// <summary>
    /// The catalog, with its results collections; the first time it opens on a database that already has published
    /// tasks (made before the catalog held them), they become items of those collections.
    /// </summary>
    private static async Task<DbSceneCatalog> OpenCatalogAsync(Database database, ITaskStore tasks, FileStore files)
    {
        var catalog = await DbSceneCatalog.OpenAsync(database);
        var first = (await catalog.ListCollectionsAsync()).Count == 0;
        await ResultCollections.RegisterAsync(catalog, CancellationToken.None);
        if (first)
        {
            await ResultCollections.BackfillAsync(catalog, tasks, files, CancellationToken.None);
        }
        return catalog;
    }

    /// <summary>Workers of this process named after the machine and process (<see cref="WorkerIdPrefix"/>), sharing <see cref="Signal"/>.</summary>
    public IReadOnlyList<TaskWorker> Workers(int count, ServiceOptions options, Microsoft.Extensions.Logging.ILoggerFactory? logs = null) =>
        Enumerable.Range(0, count).Select(i => new TaskWorker(Tasks, Handlers,
            new WorkerOptions($"{WorkerIdPrefix(Environment.ProcessId)}{i}", Path.Combine(options.DataFolder, "work"),
                LeaseDuration: options.Lease, HeartbeatInterval: options.Lease / 4, PollInterval: options.PollInterval,
                MaxAttempts: options.MaxAttempts, GiveUpAfter: options.GiveUpAfter, Role: options.Role),
            Signal, metrics: Metrics, log: logs?.CreateLogger("Tessera.Worker"), commit: Commit)).ToList();

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

    public ValueTask DisposeAsync()
    {
        Assets.Dispose();
        return _database.DisposeAsync();
    }
}
