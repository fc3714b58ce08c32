namespace Tessera.Cli.Tests.Faults;

/// <summary>
/// The fault tests kill, stop and restart real processes and lean on lease times: they run one at a time, after
/// the other tests, so that a loaded machine does not turn a slow heartbeat into a false failure.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class FaultCollection
{
    public const string Name = "Faults";
}
