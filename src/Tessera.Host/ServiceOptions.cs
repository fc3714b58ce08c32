namespace Tessera.Host;

/// <summary>How the service's machinery runs, whether behind the HTTP API (<c>tessera serve</c>) or alone
/// (<c>tessera worker</c>): where it keeps its data, which database, how its workers claim and hold tasks, and when
/// leftovers are removed.</summary>
/// <param name="DataFolder">Holds <c>tessera.db</c> (tasks and file records), <c>files/</c> and <c>work/</c>.</param>
/// <param name="Workers">Workers (tasks run at once); with the API, 0 = none (a separate <c>tessera worker</c>).</param>
/// <param name="MaxUploadBytes">Largest upload the file store accepts.</param>
/// <param name="PollInterval">How often an idle worker looks for work when nothing wakes it (default 60 s).</param>
/// <param name="KeepFinishedDays">Finished and failed tasks are deleted this many days after their last change.</param>
/// <param name="Database">PostgreSQL (scale-out) as postgres://… or an Npgsql connection string; null keeps everything in SQLite.</param>
/// <param name="WorkerCommand">How to start <c>tessera</c> (file and leading arguments): when given, the workers of
/// <c>tessera serve</c> run in a supervised child process instead of inside the server.</param>
/// <param name="LeaseDuration">How long a worker's claim lasts without a heartbeat (default 60 s); a task whose
/// worker died is taken back about this long after its last heartbeat.</param>
/// <param name="MaxAttempts">Claims after which a task whose worker keeps dying is failed (default 3).</param>
/// <param name="PreviewSize">Longest side of result previews, in pixels (default 1024).</param>
/// <param name="LeftoverAge">How long an unfinished upload or an unused work folder stays unchanged before it is
/// removed (default 1 hour).</param>
/// <param name="MinFreeBytes">Free space the data folder needs to be ready (default 16 MiB).</param>
/// <param name="AllowedHosts">Hosts on private, loopback or link-local addresses that harvests and downloads may reach
/// (host names and CIDR ranges, comma-separated); none by default.</param>
/// <param name="ProviderSettings">The provider settings file (YAML, geospaas format): credentials and download limits by URL prefix.</param>
/// <param name="CatalogFolders">Folders of this machine whose products administrators may add to the catalog (absolute paths, comma-separated).</param>
/// <param name="TaskRetryDelay">How long a task waits when a provider says its input is not available yet (default an hour).</param>
/// <param name="OpenEoSyncMegapixels">Most band pixels (millions) a synchronous openEO request may read.</param>
/// <param name="HarvestConfig">The harvest configuration file: the providers <c>start_harvest</c> names.</param>
/// <param name="Publish">The server items' files are published to (<c>POST /catalog/publish</c>), or null: none.</param>
/// <param name="GiveUpAfter">How long a worker keeps trying while every claim fails before its process exits with
/// an error (default 5 minutes).</param>
/// <param name="SplitTile">A task whose result can be computed in windows and is wider or taller than this many pixels
/// is split into tiles of this side, each a task any worker takes, stitched into one COG by the task itself; 0: never.</param>
/// <param name="Role">Which stages this process's workers run (downloads, processing, or both).</param>
/// <param name="BasemapUrl">An XYZ tile address the web page draws under results; null: its own Natural Earth borders.</param>
public sealed record ServiceOptions(string DataFolder, int Workers = 1, long MaxUploadBytes = 8L << 30, TimeSpan? PollInterval = null,
    int KeepFinishedDays = 30, string? Database = null, (string File, string[] Prefix)? WorkerCommand = null, TimeSpan? LeaseDuration = null,
    int MaxAttempts = 3, int PreviewSize = 1024, TimeSpan? LeftoverAge = null, long MinFreeBytes = 16L << 20, TimeSpan? GiveUpAfter = null,
    string? AllowedHosts = null, string? ProviderSettings = null, string? CatalogFolders = null, TimeSpan? TaskRetryDelay = null,
    string? HarvestConfig = null, Tessera.Catalog.Remote.PublishTarget? Publish = null, int OpenEoSyncMegapixels = 500,
    Tessera.Tasks.Workers.WorkerRole Role = Tessera.Tasks.Workers.WorkerRole.All, int SplitTile = 16384, string? BasemapUrl = null)
{
    public TimeSpan Lease => LeaseDuration ?? TimeSpan.FromSeconds(60);

    /// <summary>How often expired leases are looked for: a quarter of the lease, at most every 15 s.</summary>
    public TimeSpan RescueInterval => TimeSpan.FromTicks(Math.Min(Lease.Ticks / 4, TimeSpan.FromSeconds(15).Ticks));
}
