namespace Tessera.Server.Hosting;

/// <summary>How <c>tessera serve</c> runs: where it keeps its data, where it listens, how many workers it embeds.</summary>
/// <param name="DataFolder">Holds <c>tessera.db</c> (tasks and file records), <c>files/</c> and <c>work/</c>.</param>
/// <param name="Url">Where to listen; loopback only until access tokens exist.</param>
/// <param name="Workers">Embedded workers (tasks run at once); 0 = none (a separate <c>tessera worker</c>).</param>
/// <param name="KeepFinishedDays">Finished and failed tasks are deleted this many days after their last change.</param>
/// <param name="Database">PostgreSQL (scale-out) as postgres://… or an Npgsql connection string; null keeps everything in SQLite.</param>
/// <param name="AdminToken">A chosen admin token (TESSERA_ADMIN_TOKEN), for automation.</param>
/// <param name="LeaseDuration">How long a worker's claim lasts without a heartbeat (default 60 s); a task whose
/// worker died is taken back about this long after its last heartbeat.</param>
/// <param name="Tiles">Tile cache size and render concurrency (defaults: see <see cref="Tiles.TileOptions"/>).</param>
/// <param name="PreviewSize">Longest side of result previews, in pixels (default 1024).</param>
/// <param name="MaxAttempts">Claims after which a task whose worker keeps dying is failed (default 3).</param>
/// <param name="LeftoverAge">How long an unfinished upload or an unused work folder stays unchanged before it is
/// removed (default 1 hour).</param>
/// <param name="GiveUpAfter">How long a worker keeps trying while every claim fails before its process exits with
/// an error (default 5 minutes).</param>
/// <param name="MinFreeBytes">Free space the data folder needs for <c>/ready</c> to say ready (default 16 MiB).</param>
/// <param name="WorkerCommand">How to start <c>tessera</c> (file and leading arguments): when given, the workers
/// run in a supervised child process instead of inside the server.</param>
public sealed record ServerOptions(string DataFolder, string Url = "http://127.0.0.1:8080", int Workers = 1,
    long MaxUploadBytes = 8L << 30, TimeSpan? PollInterval = null, int KeepFinishedDays = 30, string? Database = null,
    string? AdminToken = null, (string File, string[] Prefix)? WorkerCommand = null, TimeSpan? LeaseDuration = null,
    int MaxAttempts = 3, int PreviewSize = 1024, Tiles.TileOptions? Tiles = null, TimeSpan? LeftoverAge = null, long MinFreeBytes = 16L << 20,
    TimeSpan? GiveUpAfter = null)
{
    public TimeSpan Lease => LeaseDuration ?? TimeSpan.FromSeconds(60);

    /// <summary>How often expired leases are looked for: a quarter of the lease, at most every 15 s.</summary>
    public TimeSpan RescueInterval => TimeSpan.FromTicks(Math.Min(Lease.Ticks / 4, TimeSpan.FromSeconds(15).Ticks));
}
