namespace OpenModelWatch.Web.Snapshot;

/// <summary>The <c>Snapshot</c> configuration section: the real datasets bundled with the app and when they are imported.</summary>
public sealed class SnapshotOptions
{
    public const string Section = "Snapshot";

    /// <summary>Import the bundled August 2026 snapshot at start when the store has no successful run of its own.</summary>
    public bool ImportWhenEmpty { get; set; } = true;

    /// <summary>The August 2026 snapshot's folder; a relative path resolves against the app's base directory.</summary>
    public string Path { get; set; } = "seeds/hub-snapshot-2026-08";

    /// <summary>
    /// Import the bundled monthly history (November 2024 – September 2025) at start when it is not in the store yet: on
    /// a fresh install and on one that already has later runs alike.
    /// </summary>
    public bool ImportHistory { get; set; } = true;

    /// <summary>The monthly history's folder; a relative path resolves against the app's base directory.</summary>
    public string HistoryPath { get; set; } = "seeds/hub-history-2024-11_2025-09";

    public static string Resolve(string path) => System.IO.Path.IsPathRooted(path) ? path : System.IO.Path.Combine(AppContext.BaseDirectory, path);
}
