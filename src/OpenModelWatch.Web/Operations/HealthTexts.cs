using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Localization;

namespace OpenModelWatch.Web.Operations;

/// <summary>
/// A readiness check's description in the reader's language, for the banner and the Ingestion page. <c>/health/ready</c>
/// keeps the English descriptions (a monitor reads them); the freshness check's figures come from its data, the other
/// checks' fixed sentences are written once here, for the checks and their keys; a description this does not know
/// (the pending migrations' list) shows as it is.
/// </summary>
public static class HealthTexts
{
    public const string MigrationsApplied = "Every migration is applied.";
    public const string MigrationsUnreadable = "The migrations cannot be read (see the log).";
    public const string StoreDown = "The store does not answer (see the log).";
    public const string RunsUnreadable = "The runs cannot be read.";

    /// <summary>Each fixed description's text key.</summary>
    private static readonly Dictionary<string, string> _keys = new(StringComparer.Ordinal)
    {
        [MigrationsApplied] = "Health.Check.MigrationsApplied",
        [MigrationsUnreadable] = "Health.Check.MigrationsUnreadable",
        [StoreDown] = "Health.Check.StoreDown",
        [RunsUnreadable] = "Health.Check.RunsUnreadable",
    };

    public static string Describe(IStringLocalizer t, HealthReportEntry entry)
    {
        if (entry.Data.TryGetValue("maxAgeSeconds", out var maxAge))
        {
            if (!entry.Data.TryGetValue("lastSuccessRunId", out var runId) || !entry.Data.TryGetValue("ageSeconds", out var age))
            {
                return t["Health.Check.NoLiveRun"];
            }

            var since = Ago(t, Convert.ToInt64(age, CultureInfo.InvariantCulture));
            return entry.Status == HealthStatus.Healthy
                ? t["Health.Check.Fresh", runId, since]
                : t["Health.Check.Stale", runId, since, Ago(t, Convert.ToInt64(maxAge, CultureInfo.InvariantCulture) / 2)];
        }

        return entry.Description is { } description && _keys.TryGetValue(description, out var key) ? t[key] : entry.Description ?? "";
    }

    /// <summary>As <see cref="FreshnessHealthCheck.Ago"/>, in the reader's words.</summary>
    private static string Ago(IStringLocalizer t, long seconds) => TimeSpan.FromSeconds(seconds) switch
    {
        { TotalDays: >= 3 } age => t["Health.Ago.Days", (int)age.TotalDays],
        { TotalHours: >= 3 } age => t["Health.Ago.Hours", (int)age.TotalHours],
        { TotalMinutes: >= 2 } age => t["Health.Ago.Minutes", (int)age.TotalMinutes],
        var age => t["Health.Ago.Seconds", Math.Max(0, (int)age.TotalSeconds)],
    };
}
