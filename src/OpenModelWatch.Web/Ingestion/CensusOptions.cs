using System.ComponentModel.DataAnnotations;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>The <c>Census</c> configuration section: the Hub-wide part of every run.</summary>
public sealed class CensusOptions
{
    public const string Section = "Census";

    /// <summary>How many of the whole Hub's most downloaded models (30 days) each run records, whoever uploaded them; 0 for none.</summary>
    [Range(0, 2_000_000)]
    public int TopN { get; set; } = 20_000;

    /// <summary>At most this many missing parents are looked up on the Hub per run (one request each).</summary>
    [Range(0, 100_000)]
    public int MaxParentLookups { get; set; } = 500;
}
