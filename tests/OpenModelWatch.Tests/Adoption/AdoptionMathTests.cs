using OpenModelWatch.Web.Adoption;

namespace OpenModelWatch.Tests.Adoption;

/// <summary>Size classes, age bands, ATOM's overrides and the peer-median ratio, each on values written out by hand.</summary>
public sealed class AdoptionMathTests
{
    private static readonly AtomMetadata _bundled = AtomMetadata.Load(Path.Combine(AppContext.BaseDirectory, "seeds", "atom-metadata"));

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData(0L, "unknown")]
    [InlineData(1L, "under-1b")]
    [InlineData(999_999_999L, "under-1b")]
    [InlineData(1_000_000_000L, "1b-3b")]
    [InlineData(2_999_999_999L, "1b-3b")]
    [InlineData(3_000_000_000L, "3b-10b")]
    [InlineData(7_615_616_512L, "3b-10b")]
    [InlineData(10_000_000_000L, "10b-40b")]
    [InlineData(39_999_999_999L, "10b-40b")]
    [InlineData(40_000_000_000L, "40b-150b")]
    [InlineData(149_999_999_999L, "40b-150b")]
    [InlineData(150_000_000_000L, "150b-plus")]
    [InlineData(671_000_000_000L, "150b-plus")]
    public void SizeClassesHaveInclusiveLowerBounds(long? parameters, string expected) =>
        Assert.Equal(expected, SizeClasses.Of(parameters));

    [Theory]
    [InlineData(null, "unknown")]
    [InlineData(-1, "unknown")]
    [InlineData(0, "under-1m")]
    [InlineData(29, "under-1m")]
    [InlineData(30, "1m-3m")]
    [InlineData(90, "1m-3m")]
    [InlineData(91, "3m-6m")]
    [InlineData(182, "3m-6m")]
    [InlineData(183, "6m-12m")]
    [InlineData(364, "6m-12m")]
    [InlineData(365, "12m-24m")]
    [InlineData(729, "12m-24m")]
    [InlineData(730, "24m-plus")]
    public void AgeBandsHaveInclusiveLowerBounds(int? ageDays, string expected) =>
        Assert.Equal(expected, AgeBands.Of(ageDays));

    [Fact]
    public void AgeIsInWholeDaysFromTheReleaseToTheRun()
    {
        var at = new DateTime(2026, 4, 20, 10, 0, 0, DateTimeKind.Utc);
        Assert.Equal(18, AgeBands.AgeDays(new DateTime(2026, 4, 2, 0, 0, 0, DateTimeKind.Utc), at));
        // 23 hours short of a day is still day 0; a release after the run is negative.
        Assert.Equal(0, AgeBands.AgeDays(new DateTime(2026, 4, 19, 11, 0, 0, DateTimeKind.Utc), at));
        Assert.Equal(-1, AgeBands.AgeDays(new DateTime(2026, 4, 21, 0, 0, 0, DateTimeKind.Utc), at));
        Assert.Null(AgeBands.AgeDays(null, at));
    }

    [Fact]
    public void AtomsReviewedCountAndReleaseDateTakePrecedenceOverTheHubs()
    {
        var created = new DateTime(2026, 3, 2, 9, 30, 0, DateTimeKind.Utc);
        var at = new DateTime(2026, 4, 20, 10, 0, 0, DateTimeKind.Utc);

        // DeepSeek-R1: the Hub's tensors hold 685B (a 14B MTP module included); ATOM's reviewed total is 671B. Matched case-insensitively.
        var r1 = _bundled.Facts("DEEPSEEK-AI/deepseek-r1", 684_531_386_000, created);
        Assert.Equal((671_000_000_000L, "atom", created, "hub"), (r1.Parameters!.Value, r1.ParametersSource, r1.Released!.Value, r1.ReleasedSource));

        // Qwen1.5-MoE-A2.7B: 14.3B total (2.7B active): 10–40B by ATOM, where a Hub total of 2.7B would say 1–3B.
        var moe = _bundled.Facts("Qwen/Qwen1.5-MoE-A2.7B", 2_700_000_000, created);
        Assert.Equal((14_300_000_000L, "10b-40b", "1b-3b"), (moe.Parameters!.Value, SizeClasses.Of(moe.Parameters), SizeClasses.Of(2_700_000_000)));

        // Gemma 4 E2B: repository created 2026-03-02, released 2026-04-02 (ATOM): 18 days old, not 49, at 2026-04-20.
        var gemma = _bundled.Facts("google/gemma-4-E2B-it", 5_100_000_000, created);
        Assert.Equal((new DateTime(2026, 4, 2, 0, 0, 0, DateTimeKind.Utc), "atom"), (gemma.Released!.Value, gemma.ReleasedSource));
        Assert.Equal((5_100_000_000L, "hub"), (gemma.Parameters!.Value, gemma.ParametersSource));
        Assert.Equal((18, "under-1m"), (AgeBands.AgeDays(gemma.Released, at)!.Value, AgeBands.Of(AgeBands.AgeDays(gemma.Released, at))));
        Assert.Equal((49, "1m-3m"), (AgeBands.AgeDays(created, at)!.Value, AgeBands.Of(AgeBands.AgeDays(created, at))));

        // A model ATOM does not list keeps the Hub's fields; without them both are unknown.
        Assert.Equal(new ModelFacts(7_615_616_512, "hub", created, "hub"), _bundled.Facts("someone/model", 7_615_616_512, created));
        Assert.Equal(new ModelFacts(null, null, null, null), _bundled.Facts("someone/model", null, null));
        Assert.Equal(new ModelFacts(null, null, null, null), _bundled.Facts("someone/model", 0, null));
    }

    [Fact]
    public void TheBundledFilesLoadWhole()
    {
        // 299 rows of model_parameters.csv, 40 rows of release_date_corrections.csv (after its three comment lines).
        Assert.Equal((299, 40), (_bundled.ParameterCounts, _bundled.ReleaseDates));
    }

    [Theory]
    [InlineData("model_id,total_params_b,active_params_b\na/b,7,\nc/d,seven,\n", "p.csv, line 3: total_params_b \"seven\"")]
    [InlineData("model_id,total_params_b\na/b,7\nA/B,8\n", "p.csv, line 3: \"A/B\" is listed twice")]
    [InlineData("model_id,total_params_b\nnoslash,7\n", "p.csv, line 2: model_id \"noslash\"")]
    [InlineData("id,params\na/b,7\n", "p.csv, line 1: the header")]
    [InlineData("model_id,total_params_b\n\"a/b,7\n", "p.csv, line 2: a quoted field is not closed")]
    [InlineData("# reviewed\nmodel_id,total_params_b\na/b,7\nc/d,7\"x\n", "p.csv, line 4: a quote inside an unquoted field.")]
    [InlineData("model_id,total_params_b\na/b\n", "p.csv, line 2: 1 fields, expected at least 2")]
    public void AMalformedLineIsAnErrorNamingTheFileAndLine(string parameters, string expected)
    {
        var error = Assert.Throws<AtomMetadataException>(() => AtomMetadata.Parse(parameters, "p.csv", "model_id,hf_created_at,actual_release_date\n", "r.csv"));
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ABadReleaseDateNamesItsLine()
    {
        var error = Assert.Throws<AtomMetadataException>(() => AtomMetadata.Parse("model_id,total_params_b\n", "p.csv",
            "# comment\nmodel_id,hf_created_at,actual_release_date,notes\na/b,2025-01-01,2025-13-01,\"late, really\"\n", "r.csv"));
        Assert.Contains("r.csv, line 3: actual_release_date \"2025-13-01\"", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TheMedianOfAnOddAndAnEvenCount()
    {
        Assert.Equal(400, AdoptionMath.Median([10_000, 0, 50, 100, 200, 300, 400, 500, 600, 700, 1_000]));
        Assert.Equal(350, AdoptionMath.Median([10_000, 0, 50, 100, 200, 300, 400, 500, 600, 1_000]));
        Assert.Equal(7.5, AdoptionMath.Median([10, 5]));
        Assert.Null(AdoptionMath.Median([]));
    }

    [Theory]
    [InlineData(10, 0, 300)]
    [InlineData(1_000, 9, 3_000)]
    [InlineData(1_000, 28, 1_000 * 30 / 29.0)]
    [InlineData(1_000, 29, 1_000)]
    [InlineData(1_000, 400, 1_000)]
    public void AModelYoungerThanTheWindowCountsAsIfItHadTheWholeWindow(long downloads30d, int ageDays, double expected) =>
        Assert.Equal(expected, AdoptionMath.Equivalent(downloads30d, ageDays));

    [Fact]
    public void ThePeerMedianRatioOnAHandBuiltSet()
    {
        // Eleven 3–10B models 200 days old: sorted 0, 50, 100, 200, 300, [400], 500, 600, 700, 1,000, 10,000 → median 400.
        // Nine 10–40B models 40 days old (one short of a group); ten <1B models 3 days old, all at 0 downloads.
        // Ten 1–3B models 0 to 9 days old: 100 × (age + 1) downloads (3,000 a window each), but the release-day one 500
        // (15,000 a window): median of nine 3,000s and one 15,000 = 3,000.
        var population = new List<(string SizeClass, int? AgeDays, long Downloads30d)>();
        population.AddRange(new long[] { 10_000, 0, 50, 100, 200, 300, 400, 500, 600, 700, 1_000 }.Select(d => ("3b-10b", (int?)200, d)));
        population.AddRange(Enumerable.Range(1, 9).Select(i => ("10b-40b", (int?)40, (long)i * 1_000)));
        population.AddRange(Enumerable.Repeat(("under-1b", (int?)3, 0L), 10));
        population.AddRange(Enumerable.Range(0, 10).Select(age => ("1b-3b", (int?)age, age == 0 ? 500L : 100L * (age + 1))));
        population.Add(("unknown", 200, 5_000_000));
        population.Add(("3b-10b", null, 5_000_000));
        population.Add(("3b-10b", -2, 5_000_000));

        var groups = AdoptionMath.Groups(population);

        // Models of unknown size or age form no group, and do not move the others' medians.
        Assert.Equal(4, groups.Count);
        Assert.Equal(new PeerGroupItem("3b-10b", "6m-12m", 11, 400, 13_850), groups[("3b-10b", "6m-12m")]);
        Assert.Equal(new PeerGroupItem("10b-40b", "1m-3m", 9, 5_000, 45_000), groups[("10b-40b", "1m-3m")]);
        Assert.Equal(new PeerGroupItem("1b-3b", "under-1m", 10, 3_000, 5_900), groups[("1b-3b", "under-1m")]);

        var cell = groups[("3b-10b", "6m-12m")];
        Assert.Equal((25.0, (string?)null), AdoptionMath.Ratio("3b-10b", 200, 10_000, cell));
        Assert.Equal((1.75, (string?)null), AdoptionMath.Ratio("3b-10b", 200, 700, cell));
        Assert.Equal((0.125, (string?)null), AdoptionMath.Ratio("3b-10b", 200, 50, cell));
        Assert.Equal((0.0, (string?)null), AdoptionMath.Ratio("3b-10b", 200, 0, cell));

        // The young group: 500 on its release day is 15,000 a window, 5× the median; 600 at 5 days old is 3,000, 1×.
        var young = groups[("1b-3b", "under-1m")];
        Assert.Equal((5.0, (string?)null), AdoptionMath.Ratio("1b-3b", 0, 500, young));
        Assert.Equal((1.0, (string?)null), AdoptionMath.Ratio("1b-3b", 5, 600, young));

        Assert.Equal(((double?)null, "peer group of 9, fewer than 10 models"), AdoptionMath.Ratio("10b-40b", 40, 9_000, groups[("10b-40b", "1m-3m")]));
        Assert.Equal(((double?)1.8, (string?)null), AdoptionMath.Ratio("10b-40b", 40, 9_000, groups[("10b-40b", "1m-3m")], minPeers: 9));
        Assert.Equal(((double?)null, "peer median is 0"), AdoptionMath.Ratio("under-1b", 3, 0, groups[("under-1b", "under-1m")]));
        Assert.Equal(((double?)null, "size unknown"), AdoptionMath.Ratio("unknown", 200, 5_000_000, null));
        Assert.Equal(((double?)null, "release date unknown"), AdoptionMath.Ratio("3b-10b", null, 5_000_000, null));
        Assert.Equal(((double?)null, "released after the run"), AdoptionMath.Ratio("3b-10b", -2, 5_000_000, null));
    }
}
