namespace Tessera.Cli;

/// <summary>The process exit codes of <c>tessera</c>.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    public const int Failed = 1;
    public const int BadUsage = 2;
}
