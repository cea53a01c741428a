namespace OpenModelWatch.Web.Operations;

/// <summary>What the app's commands exit with, for cron, systemd and scripts.</summary>
public static class ExitCodes
{
    public const int Success = 0;

    /// <summary>The command ran and failed (a run failed, a backup could not be made).</summary>
    public const int Failed = 1;

    /// <summary>The app cannot start (a bad setting, registry or store), or the command was used wrongly.</summary>
    public const int BadUsage = 2;

    /// <summary><c>ingest</c>: another run holds the database.</summary>
    public const int Busy = 3;
}
