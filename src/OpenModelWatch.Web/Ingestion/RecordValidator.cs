using OpenModelWatch.Hub;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>A count a record can be stored without: a bad value is stored unknown (NULL), never the record lost.</summary>
public enum SecondaryCount
{
    DownloadsAllTime,
    Likes,
    TrendingScore,
}

/// <summary>
/// A text field of a record the store keeps per model: a value with a control character (a NUL, which PostgreSQL's
/// <c>text</c> cannot hold and would fail the run's insert, or any other) is not stored.
/// </summary>
public enum StoredText
{
    PipelineTag,
    LibraryName,
    License,

    /// <summary>The <c>base_model:</c> tags, stored together as the model's lineage (base model, relation, parents).</summary>
    BaseModel,
}

/// <summary>What <see cref="RecordValidator.Check"/> decided about one listed record.</summary>
/// <param name="Rejection">Why the record is not stored at all (its id or its 30-day downloads cannot be trusted); null when it is stored.</param>
/// <param name="Unknown">
/// Why fields of a stored record are left unknown, one reason a field (e.g. <c>implausible downloadsAllTime</c>,
/// <c>control character in pipeline_tag</c>); empty when every field is stored as sent.
/// </param>
public sealed record RecordCheck(string? Rejection, IReadOnlyList<string> Unknown)
{
    /// <summary>Stored, every count as sent.</summary>
    public static readonly RecordCheck Sound = new(null, []);

    public static RecordCheck Rejected(string reason) => new(reason, []);
}

/// <summary>
/// Decides what of a listed record can be stored. Values are never repaired: a count goes into the store exactly as
/// the Hub sent it, or not at all. A record whose id or 30-day downloads (the headline number, every share's
/// numerator) cannot be trusted is rejected with a reason; a record whose only fault is a secondary count
/// (<see cref="SecondaryCount"/>) is stored with that count unknown, with a reason, so one absurd all-time count does not
/// take a model's 30-day downloads out of every share. A text field with a control character (<see cref="StoredText"/>)
/// is not stored either, with a reason: a model new to the store has it unknown, a model already stored keeps the value
/// it has, so one garbled record neither fails the run (PostgreSQL rejects a NUL in text) nor erases what was known.
/// </summary>
public static class RecordValidator
{
    /// <summary>
    /// Above this a count is not believable (the most downloaded model on the Hub has a few hundred million a
    /// month, a few billion all-time); such a value is a bug or an overflow somewhere, not a measurement.
    /// </summary>
    public const long MaxPlausibleCount = 100_000_000_000;

    /// <summary>
    /// Whether the record is stored, and which of its secondary counts are left unknown and why. A secondary count the
    /// listing left out is untrustworthy too (<c>missing likes</c>): every listing asks for each of them by
    /// <c>expand</c> (<see cref="HubClient.ExpandedFields"/>) and the Hub always sends them, so an absent one is an
    /// oddity of the answer, counted like any other, not a normal gap.
    /// </summary>
    public static RecordCheck Check(HubModel model)
    {
        if (string.IsNullOrWhiteSpace(model.Id))
        {
            return RecordCheck.Rejected("missing id");
        }

        if (!IsWellFormedId(model.Id))
        {
            return RecordCheck.Rejected("malformed id");
        }

        if (Distrust(model.Downloads, "downloads", allowNegative: false) is { } downloads)
        {
            return RecordCheck.Rejected(downloads);
        }

        var allTime = Untrusted(model.DownloadsAllTime, SecondaryCount.DownloadsAllTime);
        var likes = Untrusted(model.Likes, SecondaryCount.Likes);
        var trending = Untrusted(model.TrendingScore, SecondaryCount.TrendingScore);
        var pipelineTag = Untrusted(model, StoredText.PipelineTag);
        var libraryName = Untrusted(model, StoredText.LibraryName);
        var license = Untrusted(model, StoredText.License);
        var baseModel = Untrusted(model, StoredText.BaseModel);
        return (allTime ?? likes ?? trending ?? pipelineTag ?? libraryName ?? license ?? baseModel) is null
            ? RecordCheck.Sound
            : new RecordCheck(null, new[] { allTime, likes, trending, pipelineTag, libraryName, license, baseModel }.OfType<string>().ToArray());
    }

    /// <summary>
    /// Why a text field of the record cannot be stored as sent (it holds a control character), or null when it can. The
    /// one rule for both the run's reasons (<see cref="Check"/>) and what the writer stores.
    /// </summary>
    public static string? Untrusted(HubModel model, StoredText field) => field switch
    {
        StoredText.PipelineTag => HasControl(model.PipelineTag) ? "control character in pipeline_tag" : null,
        StoredText.LibraryName => HasControl(model.LibraryName) ? "control character in library_name" : null,
        StoredText.License => HasControl(model.License) ? "control character in license" : null,
        // A relation is one of four names (HubTags.TryParseRelation); only a parent's id can carry one.
        StoredText.BaseModel => model.Lineage.Any(edge => HasControl(edge.ParentId)) ? "control character in base_model" : null,
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>
    /// Whether an id the Hub answered a look-up with (a parent, a renamed model) can be stored: the rule <see cref="Check"/>
    /// applies to a listed record's id.
    /// </summary>
    public static bool IsWellFormedId(string? id) =>
        !string.IsNullOrWhiteSpace(id) && id.Length <= 300 && !id.Any(char.IsControl) && !id.Contains(' ');

    private static bool HasControl(string? text) => text is not null && text.Any(char.IsControl);

    /// <summary>
    /// Why a secondary count cannot be stored as sent (missing, null, non-numeric, negative or implausible), or null when
    /// it can. The one rule for both the run's counts (<see cref="Check"/>) and what the writer stores.
    /// </summary>
    public static string? Untrusted(HubCount count, SecondaryCount field) => field switch
    {
        SecondaryCount.DownloadsAllTime => Distrust(count, "downloadsAllTime", allowNegative: false),
        SecondaryCount.Likes => Distrust(count, "likes", allowNegative: false),
        // A trending score falls when a model cools down: negative is a real value.
        SecondaryCount.TrendingScore => Distrust(count, "trendingScore", allowNegative: true),
        _ => throw new ArgumentOutOfRangeException(nameof(field), field, null),
    };

    /// <summary>
    /// Why a whole run cannot be trusted, or null. A run that stored nothing, or rejected more records than it stored,
    /// would replace a good as-of run with an empty or skewed one: it fails instead, with the reasons. Counts left
    /// unknown are not rejections: their models are stored.
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

    private static string? Distrust(HubCount count, string field, bool allowNegative) => count.State switch
    {
        HubCountState.Missing => $"missing {field}",
        HubCountState.Null => $"null {field}",
        HubCountState.Invalid => $"non-numeric {field}",
        _ when count.Value < 0 && !allowNegative => $"negative {field}",
        _ when Math.Abs(count.Value) > MaxPlausibleCount => $"implausible {field}",
        _ => null,
    };
}
