using System.CommandLine;

namespace Tessera.Cli.Commands;

/// <summary>What serve and worker share about running tasks: how long a claim lasts, how often a task may be
/// claimed, the size of the previews that publishing makes, and when leftovers are removed.</summary>
internal sealed class LeaseArguments
{
    public Option<double> Lease { get; } = new("--lease")
    {
        Description = "Seconds a worker's claim lasts without a heartbeat; a dead worker's task is taken back after this",
        DefaultValueFactory = _ => 60,
    };

    public Option<int> MaxAttempts { get; } = new("--max-attempts")
    {
        Description = "Claims after which a task whose worker keeps dying is failed",
        DefaultValueFactory = _ => 3,
    };

    public Option<int> PreviewSize { get; } = new("--preview-size")
    {
        Description = "Longest side of result previews, in pixels",
        DefaultValueFactory = _ => 1024,
    };

    public Option<double> LeftoverAge { get; } = new("--leftover-age")
    {
        Description = "Seconds an unfinished upload or an unused work folder stays unchanged before it is removed",
        DefaultValueFactory = _ => 3600,
    };

    public Option<double> GiveUpAfter { get; } = new("--give-up-after")
    {
        Description = "Seconds a worker keeps trying while its database or disk fails before its process exits with an error",
        DefaultValueFactory = _ => 300,
    };

    public void AddTo(Command command)
    {
        command.Options.Add(GiveUpAfter);
        command.Options.Add(Lease);
        command.Options.Add(MaxAttempts);
        command.Options.Add(PreviewSize);
        command.Options.Add(LeftoverAge);
    }

    /// <summary>The give-up time given, checked.</summary>
    public TimeSpan ReadGiveUpAfter(ParseResult parse)
    {
        var seconds = parse.GetValue(GiveUpAfter);
        return seconds is >= 1 and <= 7 * 86400 ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--give-up-after must be between 1 and 604800 seconds, not {seconds}");
    }

    /// <summary>The leftover age given, checked.</summary>
    public TimeSpan ReadLeftoverAge(ParseResult parse)
    {
        var seconds = parse.GetValue(LeftoverAge);
        return seconds is >= 1 and <= 30 * 86400 ? TimeSpan.FromSeconds(seconds)
            : throw new UsageException($"--leftover-age must be between 1 and 2592000 seconds, not {seconds}");
    }

    /// <summary>The preview size given, checked.</summary>
    public int ReadPreviewSize(ParseResult parse)
    {
        var size = parse.GetValue(PreviewSize);
        return size is >= 16 and <= 8192 ? size : throw new UsageException($"--preview-size must be between 16 and 8192 pixels, not {size}");
    }

    /// <summary>The lease and attempt limit given, checked.</summary>
    public (TimeSpan Lease, int MaxAttempts) Read(ParseResult parse)
    {
        var seconds = parse.GetValue(Lease);
        if (!(seconds >= 1 && seconds <= 86400))
        {
            throw new UsageException($"--lease must be between 1 and 86400 seconds, not {seconds}");
        }
        var attempts = parse.GetValue(MaxAttempts);
        if (attempts is < 1 or > 100)
        {
            throw new UsageException($"--max-attempts must be between 1 and 100, not {attempts}");
        }
        return (TimeSpan.FromSeconds(seconds), attempts);
    }
}
