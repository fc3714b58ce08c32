namespace Tessera.Tasks.Workers;

/// <summary>
/// Which stages a worker runs, so that downloads (network-bound) and processing (CPU-bound) scale separately: a
/// <see cref="Download"/> worker claims tasks not started, downloads their inputs and leaves them DOWNLOADED (no lease)
/// in their work folder; a <see cref="Process"/> worker claims those (and results waiting to be published) and processes
/// and publishes them; <see cref="All"/> does both, one after the other, in one claim.
/// </summary>
public enum WorkerRole
{
    All,
    Download,
    Process,
}

public static class WorkerRoles
{
    /// <summary>The names of the roles as <c>--role</c> takes them.</summary>
    public static readonly string[] Names = ["all", "download", "process"];

    public static string Name(this WorkerRole role) => Names[(int)role];

    /// <summary>The role of that name; null when there is none.</summary>
    public static WorkerRole? Parse(string name) => Array.IndexOf(Names, name.Trim().ToLowerInvariant()) is var i and >= 0 ? (WorkerRole)i : null;

    /// <summary>Whether a worker of this role claims tasks not started (and downloads them).</summary>
    public static bool Downloads(this WorkerRole role) => role != WorkerRole.Process;

    /// <summary>Whether a worker of this role claims downloaded tasks and results waiting to be published.</summary>
    public static bool Processes(this WorkerRole role) => role != WorkerRole.Download;
}
