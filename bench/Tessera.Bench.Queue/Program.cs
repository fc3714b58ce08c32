using System.Diagnostics;
using System.Globalization;
using Tessera.Tasks;
using Tessera.Tasks.Stores;
using Tessera.Tasks.Stores.Postgres;
using Tessera.Tasks.Stores.Sqlite;
using Tessera.Tasks.Workers;

// Task queue throughput: submissions per second with C concurrent submitters, and claim+complete per second
// (a no-op task walked through every status of the seed's machine by the real TaskWorker, lease keeper
// included) with W workers, on SQLite (a file, WAL, synchronous=FULL: durable commits) or PostgreSQL.
// Usage: Tessera.Bench.Queue sqlite FOLDER | postgres CONNECTION_STRING  [TASKS] [WORKERS...]
// Prints one markdown table row per worker count: medians of REPEATS runs (default 5), then every run.
if (args.Length < 2)
{
    Console.Error.WriteLine("usage: Tessera.Bench.Queue (sqlite FOLDER | postgres CONNECTION) [TASKS] [WORKERS...]");
    return 2;
}
var kind = args[0];
var where = args[1];
var count = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 4000;
var workerCounts = args.Length > 3 ? args[3..].Select(a => int.Parse(a, CultureInfo.InvariantCulture)).ToArray() : [1, 4, 8];

// Warm-up, not reported: workers are long-lived processes, measured once their code is compiled.
{
    var (store, _, cleanup) = await OpenAsync(kind, where, 0);
    await SubmitAsync(store, 1000, 8);
    await CompleteAsync(store, 1000, 8);
    await cleanup();
}

// Each worker count: REPEATS runs on a fresh schema or file each; the median of each rate, and every run.
var repeats = int.Parse(Environment.GetEnvironmentVariable("REPEATS") ?? "5", CultureInfo.InvariantCulture);
foreach (var workers in workerCounts)
{
    var submissions = new List<double>();
    var completions = new List<double>();
    var describe = "";
    for (var run = 0; run < repeats; run++)
    {
        var (store, what, cleanup) = await OpenAsync(kind, where, workers);
        describe = what;
        try
        {
            submissions.Add(count / (await SubmitAsync(store, count, workers)).TotalSeconds);
            completions.Add(count / (await CompleteAsync(store, count, workers)).TotalSeconds);
        }
        finally
        {
            await cleanup();
        }
    }
    static string Runs(List<double> rates) => string.Join(" ", rates.Select(r => r.ToString("F0", CultureInfo.InvariantCulture)));
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"| {kind} | {describe} | {workers} | {count} | {Median(submissions):F0} | {Median(completions):F0} | {Runs(submissions)} | {Runs(completions)} |"));
}
return 0;

static double Median(List<double> values)
{
    var sorted = values.Order().ToList();
    return sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[sorted.Count / 2 - 1] + sorted[sorted.Count / 2]) / 2;
}

static async Task<(ITaskStore Store, string Describe, Func<Task> Cleanup)> OpenAsync(string kind, string where, int run)
{
    if (kind == "sqlite")
    {
        var path = Path.Combine(where, $"queue-{run}-{Guid.NewGuid():N}.db");
        var store = await SqliteTaskStore.OpenAsync(path);
        var synchronous = await SqlitePragmaAsync(path, "synchronous");
        var journal = await SqlitePragmaAsync(path, "journal_mode");
        return (store, $"{journal}, synchronous={synchronous}", () =>
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            foreach (var file in Directory.GetFiles(where, Path.GetFileName(path) + "*"))
            {
                File.Delete(file);
            }
            return Task.CompletedTask;
        });
    }
    var schema = $"bench_{Guid.NewGuid():N}";
    await PostgresAsync(where, $"CREATE SCHEMA {schema};");
    var connection = new Npgsql.NpgsqlConnectionStringBuilder(where) { SearchPath = schema, MaxPoolSize = 100 }.ToString();
    var pg = await PostgresTaskStore.OpenAsync(connection);
    var settings = await PostgresAsync(where, "SELECT current_setting('fsync') || '/' || current_setting('synchronous_commit');");
    return (pg, $"fsync/synchronous_commit={settings}", async () =>
    {
        await pg.DisposeAsync();
        Npgsql.NpgsqlConnection.ClearAllPools();
        await PostgresAsync(where, $"DROP SCHEMA {schema} CASCADE;");
    });
}

static async Task<string> SqlitePragmaAsync(string path, string pragma)
{
    await using var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path}");
    await connection.OpenAsync();
    await using var command = connection.CreateCommand();
    command.CommandText = $"PRAGMA {pragma};";
    return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture)!;
}

static async Task<string> PostgresAsync(string connectionString, string sql)
{
    await using var connection = new Npgsql.NpgsqlConnection(connectionString);
    await connection.OpenAsync();
    await using var command = new Npgsql.NpgsqlCommand(sql, connection);
    return Convert.ToString(await command.ExecuteScalarAsync(), CultureInfo.InvariantCulture) ?? "";
}

// C submitters, each creating its share of tasks one after another (one transaction each, as addTask does).
static async Task<TimeSpan> SubmitAsync(ITaskStore store, int count, int submitters)
{
    var next = -1;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, submitters).Select(_ => Task.Run(async () =>
    {
        int i;
        while ((i = Interlocked.Increment(ref next)) < count)
        {
            await store.CreateAsync(new NewTask($"no-op {i}", new TaskType(7), "bench", """{"nir":{"fileId":1},"red":{"fileId":2}}"""));
        }
    })));
    return clock.Elapsed;
}

// W workers claiming and completing until the queue is empty.
static async Task<TimeSpan> CompleteAsync(ITaskStore store, int count, int workers)
{
    var folder = Directory.CreateTempSubdirectory("tessera-bench-work-").FullName;
    try
    {
        var handler = new NoOpHandler();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, workers).Select(w => Task.Run(async () =>
        {
            var worker = new TaskWorker(store, [handler], new WorkerOptions($"bench:{w}", folder));
            while (await worker.RunOnceAsync(CancellationToken.None))
            {
            }
        })));
        var elapsed = clock.Elapsed;
        var done = (await store.CountByStatusAndTypeAsync()).Where(c => c.Status == Tessera.Tasks.TaskStatus.PublishCompleted).Sum(c => c.Count);
        if (done != count)
        {
            throw new InvalidOperationException($"{done} of {count} tasks completed");
        }
        return elapsed;
    }
    finally
    {
        Directory.Delete(folder, recursive: true);
    }
}

internal sealed class NoOpHandler : ITaskHandler
{
    public IReadOnlyCollection<TaskType> Types { get; } = [new TaskType(7)];

    public Task DownloadAsync(TaskContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task ProcessAsync(TaskContext context, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<TaskResult?> PublishAsync(TaskContext context, CancellationToken cancellationToken) => Task.FromResult<TaskResult?>(null);

    public Task DiscardAsync(TaskContext context, TaskResult result, CancellationToken cancellationToken) => Task.CompletedTask;
}
