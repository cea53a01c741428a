using System.ComponentModel.DataAnnotations;
using System.Globalization;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>The <c>Census</c> configuration section: the Hub-wide part of every run.</summary>
public sealed class CensusOptions : IValidatableObject
{
    public const string Section = "Census";

    /// <summary>The <see cref="TopN"/> that asks for every public model of the Hub.</summary>
    public const string All = "all";

    /// <summary>The largest number <see cref="TopN"/> takes; beyond it, say <see cref="All"/>.</summary>
    public const int MaxTopN = 10_000_000;

    /// <summary>
    /// How much of the whole Hub each run records, whoever uploaded the models, listed by 30-day downloads (the most
    /// downloaded first): <c>all</c>, the default, for every public model, to the end of the listing; a number for
    /// that many of the most downloaded; 0 for none (the run then lists only the registry's namespaces).
    /// </summary>
    public string TopN { get; set; } = All;

    /// <summary>At most this many missing parents are looked up on the Hub per run (one request each).</summary>
    [Range(0, 100_000)]
    public int MaxParentLookups { get; set; } = 500;

    /// <summary>
    /// After a whole-Hub run, at most this many models no longer listed (the most downloaded first) are looked up on
    /// the Hub, to tell a renamed repository from a removed one (one request each).
    /// </summary>
    [Range(0, 100_000)]
    public int MaxRemovedLookups { get; set; } = 200;

    // Methods rather than properties: the configuration binder reads every property, and these throw on a bad TopN,
    // which validation reports by its key instead.

    /// <summary>True when the census is the whole Hub (<c>TopN</c> = <c>all</c>).</summary>
    public bool WholeHub() => Limit() is null;

    /// <summary>How many models the census takes: null for every one (<c>all</c>), 0 for none.</summary>
    /// <exception cref="InvalidOperationException"><see cref="TopN"/> is neither <c>all</c> nor a number in range (validation catches it at start).</exception>
    public int? Limit() => TryParse(TopN, out var limit)
        ? limit
        : throw new InvalidOperationException($"{Section}:{nameof(TopN)} is neither '{All}' nor a number from 0 to {MaxTopN}.");

    /// <summary>What the census covers, in words: "every public model of the Hub", "the Hub's top 20,000 by 30-day downloads", "no model".</summary>
    public string Describe() => Limit() switch
    {
        null => "every public model of the Hub",
        0 => "no model",
        var n => string.Create(CultureInfo.InvariantCulture, $"the Hub's top {n:#,0} by 30-day downloads"),
    };

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (!TryParse(TopN, out _))
        {
            yield return new ValidationResult(
                $"'{TopN}' is neither '{All}' (every public model, the default) nor a number of models from 0 to {MaxTopN.ToString("#,0", CultureInfo.InvariantCulture)}",
                [nameof(TopN)]);
        }
    }

    private static bool TryParse(string? text, out int? limit)
    {
        limit = null;
        var trimmed = text?.Trim();
        if (string.Equals(trimmed, All, StringComparison.OrdinalIgnoreCase))
        {
            return true;
        }

        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var number) && number <= MaxTopN)
        {
            limit = number;
            return true;
        }

        return false;
    }
}
