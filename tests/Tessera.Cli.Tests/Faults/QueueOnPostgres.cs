using System.Diagnostics;
using System.Text.Json;
using Npgsql;
using Tessera.Host;
using Tessera.Tasks;
using Tessera.TestSupport;
using TaskStatus = Tessera.Tasks.TaskStatus;

namespace Tessera.Cli.Tests.Faults;

/// <summary>
/// A task queue on a real PostgreSQL server (a schema of its own) and a data folder, seen through the same stores
/// the service uses: what tests of real worker processes queue tasks with and check results against.
/// </summary>
internal sealed class QueueOnPostgres : IAsyncDisposable
{
    public static readonly TaskStatus[] Ended = [TaskStatus.PublishCompleted, TaskStatus.DownloadFailed, TaskStatus.ProcessingFailed, TaskStatus.PublishFailed];

    private readonly PostgresServer _server;
    private readonly TempFolder _root = new();
    private readonly string _schema;
    private ServiceParts? _parts;

    public QueueOnPostgres(PostgresServer server)
    {
        _server = server;
        Database = server.NewSchema(out _schema);
    }

    public string Database { get; }

    public string Data => _root.File("data");

    public ServiceParts Parts => _parts!;

    public string File(string name) => _root.File(name);

    public async Task<QueueOnPostgres> OpenAsync()
    {
        _parts = await ServiceParts.OpenAsync(Data, Database, 1L << 32);
        return this;
    }

    /// <summary>A nir/red pair of synthetic UInt16 bands, uploaded as alice's; their file ids.</summary>
    public async Task<(long Nir, long Red)> UploadPairAsync(int size, string name)
    {
        var grid = SyntheticRaster.Grid(size, size);
        var block = Math.Min(512, size);
        var nir = SyntheticRaster.Write<ushort>(_root.File($"{name}-nir.tif"), grid, (c, r) => (ushort)(2000 + (c * 7 + r * 3) % 3000), blockSize: block);
        var red = SyntheticRaster.Write<ushort>(_root.File($"{name}-red.tif"), grid, (c, r) => (ushort)(500 + (c * 5 + r * 11) % 1500), blockSize: block);
        await using var nirContent = System.IO.File.OpenRead(nir);
        await using var redContent = System.IO.File.OpenRead(red);
        return ((await Parts.Files.AddAsync(nirContent, $"{name}-nir.tif", "alice")).Id,
            (await Parts.Files.AddAsync(redContent, $"{name}-red.tif", "alice")).Id);
    }

    public async Task<long> NdviAsync(string name, (long Nir, long Red) files) =>
        (await Parts.Tasks.CreateAsync(new NewTask(name, new TaskType(7), "alice",
            JsonSerializer.Serialize(new { nir = new { fileId = files.Nir }, red = new { fileId = files.Red } })))).Id;

    /// <summary>Polls <paramref name="probe"/> until it gives a value; a probe that throws (the database restarting) counts as no value yet.</summary>
    public static async Task<T> EventuallyAsync<T>(Func<Task<T?>> probe, TimeSpan timeout, string what, int everyMs = 100)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                if (await probe() is { } value)
                {
                    return value;
                }
            }
            catch (Exception e) when (e is NpgsqlException or TimeoutException)
            {
            }
            await Task.Delay(everyMs);
        }
        throw new TimeoutException($"{what} (waited {timeout.TotalSeconds} s)");
    }

    /// <summary>
    /// After the server restarted or cut sessions, the test's own pooled connections are dead: each fails once when
    /// used and is dropped. Reads both stores until they answer a few times in a row.
    /// </summary>
    public async Task UntilTheDatabaseAnswersAsync()
    {
        var clock = Stopwatch.StartNew();
        for (var answered = 0; answered < 5;)
        {
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(30), "the database did not answer again within 30 s");
            try
            {
                await Parts.Tasks.ListAsync(new TaskQuery(), 0, 1);
                await Parts.Files.ListAsync(null, 0, 1);
                answered++;
            }
            catch (NpgsqlException)
            {
                answered = 0;
            }
        }
    }

    public async Task<long> CountAsync(params TaskStatus[] statuses) =>
        (await Parts.Tasks.CountByStatusAndTypeAsync()).Where(c => statuses.Contains(c.Status)).Sum(c => c.Count);

    public long PendingFiles()
    {
        using var connection = new NpgsqlConnection(Database);
        connection.Open();
        using var command = new NpgsqlCommand("SELECT COUNT(*) FROM files WHERE pending_token IS NOT NULL;", connection);
        return (long)command.ExecuteScalar()!;
    }

    /// <summary>Nothing left behind: every folder under files/ is a visible file, no pending record, no work folder.</summary>
    public async Task AssertNothingLeftBehindAsync()
    {
        Assert.Equal(0, PendingFiles());
        var visible = (await Parts.Files.ListAsync(null, 0, 1000)).Total;
        Assert.Equal(visible, Directory.GetDirectories(Path.Combine(Data, "files")).Length);
        Assert.Empty(Directory.Exists(Path.Combine(Data, "work")) ? Directory.GetFileSystemEntries(Path.Combine(Data, "work")) : []);
    }

    /// <summary>Checks a published NDVI against the numpy + GDAL reference of its inputs; the number of valid pixels.</summary>
    public async Task<long> AssertNdviEqualsReferenceAsync(long outputFileId, (long Nir, long Red) pair) =>
        NdviReference.AssertEqual(await Parts.Files.PathOfAsync(outputFileId, "alice"),
            await Parts.Files.PathOfAsync(pair.Nir, "alice"), await Parts.Files.PathOfAsync(pair.Red, "alice"));

    /// <summary>Every task of <paramref name="ids"/> published exactly once: one result file each, none shared, all the same bytes.</summary>
    public async Task<IReadOnlyList<long>> AssertEachPublishedOnceAsync(IReadOnlyList<long> ids)
    {
        var outputs = new List<long>();
        foreach (var id in ids)
        {
            var task = (await Parts.Tasks.GetAsync(id))!;
            Assert.True(task.Status == TaskStatus.PublishCompleted, $"task {id}: {task.Status} {task.ErrorMessage}");
            Assert.Single(await Parts.Tasks.AttemptsAsync(id), a => a.Outcome == "PUBLISH_COMPLETED");
            outputs.Add(task.Result!.OutputFileId);
        }
        Assert.Equal(ids.Count, outputs.Distinct().Count());
        var shas = new HashSet<string>();
        foreach (var output in outputs)
        {
            shas.Add((await Parts.Files.GetAsync(output, "alice"))!.Sha256);
        }
        Assert.Single(shas);
        return outputs;
    }

    public async ValueTask DisposeAsync()
    {
        if (_parts is not null)
        {
            await _parts.DisposeAsync();
        }
        NpgsqlConnection.ClearAllPools();
        _server.DropSchema(_schema);
        _root.Dispose();
    }
}
