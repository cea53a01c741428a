using System.Globalization;
using System.Text.RegularExpressions;

namespace OpenModelWatch.Web.Import;

/// <summary>The time an imported file is recorded at, and the rule that gave it (printed, so the user can check it).</summary>
public sealed partial record ImportTime(DateTime At, string Rule)
{
    /// <summary>
    /// <paramref name="at"/> when given; else a <c>YYYY-MM-DD</c> date in the file's name (<c>2025-06-01.parquet</c>),
    /// else in its folder's name (<c>models/2025-06-01/models.parquet</c> of <c>hfmlsoc/hub_weekly_snapshots</c>), at
    /// 00:00 UTC; else the newest <c>lastModified</c> in the file (the latest change the Hub had seen when it was
    /// written); null when none of these gives a time.
    /// </summary>
    public static ImportTime? Of(HubStatsFile file, DateTime? at)
    {
        if (at is { } given)
        {
            return new ImportTime(given, "given by --at");
        }

        if (DateIn(Path.GetFileNameWithoutExtension(file.Path)) is { } named)
        {
            return new ImportTime(named, $"the date in the file name {Path.GetFileName(file.Path)}");
        }

        var folder = Path.GetFileName(Path.GetDirectoryName(Path.GetFullPath(file.Path)));
        if (folder is not null && DateIn(folder) is { } foldered)
        {
            return new ImportTime(foldered, $"the date in the folder name {folder}");
        }

        return file.NewestLastModified() is { } newest
            ? new ImportTime(newest, "the newest lastModified in the file")
            : null;
    }

    /// <summary>The one <c>YYYY-MM-DD</c> date in a name, at 00:00 UTC; null when there is none or more than one.</summary>
    public static DateTime? DateIn(string name)
    {
        var matches = DatePattern().Matches(name);
        return matches.Count == 1 && DateTime.TryParseExact(matches[0].Value, "yyyy-MM-dd", CultureInfo.InvariantCulture,
            DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var date)
            ? date
            : null;
    }

    [GeneratedRegex(@"(?<!\d)\d{4}-\d{2}-\d{2}(?!\d)")]
    private static partial Regex DatePattern();
}
