namespace Tessera.Tasks.Workers;

/// <summary>How a worker claims, holds and gives up tasks.</summary>
/// <param name="WorkerId">Shown as the lease owner and in the history; unique per process.</param>
/// <param name="WorkRoot">Parent of the per-task work folders.</param>
/// <param name="LeaseDuration">How long a claim lasts without a heartbeat.</param>
/// <param name="HeartbeatInterval">How often a running task's lease is renewed (well under the lease).</param>
/// <param name="PollInterval">How often an idle worker looks for work when nobody wakes it (the seed: 60 s).</param>
/// <param name="MaxAttempts">Claims after which a task whose worker keeps disappearing is failed.</param>
/// <param name="GiveUpAfter">How long the worker keeps trying while every claim fails (its database is away, its
/// disk full) before it stops with an error, so that whatever supervises the process sees it (default 5 minutes).</param>
/// <param name="Role">Which stages it runs (<see cref="WorkerRole"/>; all by default).</param>
public sealed record WorkerOptions(
    string WorkerId,
    string WorkRoot,
    TimeSpan? LeaseDuration = null,
    TimeSpan? HeartbeatInterval = null,
    TimeSpan? PollInterval = null,
    int MaxAttempts = 3,
    TimeSpan? GiveUpAfter = null,
    WorkerRole Role = WorkerRole.All)
{
    public TimeSpan GiveUp => GiveUpAfter ?? TimeSpan.FromMinutes(5);

    public TimeSpan Lease => LeaseDuration ?? TimeSpan.FromSeconds(60);

    public TimeSpan Heartbeat => HeartbeatInterval ?? TimeSpan.FromSeconds(15);

    public TimeSpan Poll => PollInterval ?? TimeSpan.FromSeconds(60);
}
