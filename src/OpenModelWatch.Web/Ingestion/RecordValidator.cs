using OpenModelWatch.Hub;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// Decides whether a listed record can be stored as it is. A record that cannot be trusted is rejected with a
/// reason, never repaired: counts go into the store exactly as the Hub sent them, or not at all.
/// </summary>
public static class RecordValidator
{
    /// <summary>
    /// Above this a count is not believable (the most downloaded model on the Hub has a few hundred million a
    /// month, a few billion all-time); such a value is a bug or an overflow somewhere, not a measurement.
    /// </summary>
    public const long MaxPlausibleCount = 100_000_000_000;

    /// <summary>Null when the record is fine; otherwise why it is rejected, e.g. <c>negative likes</c>.</summary>
    public static string? Reject(HubModel model)
    {
        if (string.IsNullOrWhiteSpace(model.Id))
        {
            return "missing id";
        }

        if (model.Id.Length > 300 || model.Id.Any(char.IsControl) || model.Id.Contains(' '))
        {
            return "malformed id";
        }

        return Count(model.Downloads, "downloads")
            ?? Count(model.DownloadsAllTime, "downloadsAllTime")
            ?? Count(model.Likes, "likes")
            ?? Count(model.TrendingScore, "trendingScore", allowNegative: true);
    }

    /// <summary>
    /// Why a whole run cannot be trusted, or null. A run that stored nothing, or rejected more records than it stored,
    /// would replace a good as-of run with an empty or skewed one: it fails instead, with the reasons.
    /// </summary>
    public static string? DistrustRun(int stored, IReadOnlyDictionary<string, int> rejected)
    {
        var rejectedCount = rejected.Values.Sum();
        if (stored > 0 && rejectedCount <= stored)
        {
            return null;
        }

        var reasons = string.Join("; ", rejected.OrderByDescending(pair => pair.Value).Take(3).Select(pair => $"{pair.Key}: {pair.Value}"));
        return stored == 0
            ? $"The Hub listed no usable model ({rejectedCount} records rejected{(reasons.Length > 0 ? ": " + reasons : "")}); the previous run stays the as-of run."
            : $"More records were rejected ({rejectedCount}) than stored ({stored}): {reasons}; the run is not trusted and the previous run stays the as-of run.";
    }

    private static string? Count(HubCount count, string field, bool allowNegative = false) => count.State switch
    {
        HubCountState.Missing => $"missing {field}",
        HubCountState.Null => $"null {field}",
        HubCountState.Invalid => $"non-numeric {field}",
        _ when count.Value < 0 && !allowNegative => $"negative {field}",
        _ when Math.Abs(count.Value) > MaxPlausibleCount => $"implausible {field}",
        _ => null,
    };
}
