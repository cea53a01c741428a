using OpenModelWatch.Hub;
using OpenModelWatch.Web.Ingestion;

namespace OpenModelWatch.Tests.Ingestion;

public class RecordValidatorTests
{
    private static HubModel Model(string? id = "a/b", HubCount? downloads = null, HubCount? likes = null, HubCount? all = null, HubCount? trending = null) => new()
    {
        Id = id,
        Downloads = downloads ?? HubCount.Of(10),
        DownloadsAllTime = all ?? HubCount.Of(100),
        Likes = likes ?? HubCount.Of(1),
        TrendingScore = trending ?? HubCount.Of(0),
    };

    private static readonly HubCount _missing = default;
    private static readonly HubCount _null = new(HubCountState.Null, 0);
    private static readonly HubCount _text = new(HubCountState.Invalid, 0);
    private static readonly HubCount _implausible = HubCount.Of(RecordValidator.MaxPlausibleCount + 1);

    [Fact]
    public void AGoodRecordIsStoredWithEveryCount() => Assert.Same(RecordCheck.Sound, RecordValidator.Check(Model()));

    [Fact]
    public void AnUntrustworthyIdOr30DayCountRejectsTheRecordWithItsReason()
    {
        Assert.Equal("missing id", RecordValidator.Check(Model(id: null)).Rejection);
        Assert.Equal("missing id", RecordValidator.Check(Model(id: " ")).Rejection);
        Assert.Equal("malformed id", RecordValidator.Check(Model(id: "a/b c")).Rejection);
        Assert.Equal("malformed id", RecordValidator.Check(Model(id: "a/b\u0007")).Rejection);
        Assert.Equal("malformed id", RecordValidator.Check(Model(id: "a/" + new string('b', 299))).Rejection);
        Assert.Equal("missing downloads", RecordValidator.Check(Model(downloads: _missing)).Rejection);
        Assert.Equal("null downloads", RecordValidator.Check(Model(downloads: _null)).Rejection);
        Assert.Equal("non-numeric downloads", RecordValidator.Check(Model(downloads: _text)).Rejection);
        Assert.Equal("negative downloads", RecordValidator.Check(Model(downloads: HubCount.Of(-1))).Rejection);
        Assert.Equal("implausible downloads", RecordValidator.Check(Model(downloads: HubCount.Of(1L << 40))).Rejection);
    }

    [Fact]
    public void ARejectedRecordLeavesNoCountUnknown()
    {
        // The record is not stored at all: its secondary counts are not the run's to count.
        var check = RecordValidator.Check(Model(downloads: _null, likes: HubCount.Of(-5), all: _implausible));

        Assert.Equal(("null downloads", 0), (check.Rejection, check.Unknown.Count));
    }

    // State and value rather than a HubCount, so each case is its own test (theory data xunit can serialize).
    public static TheoryData<SecondaryCount, HubCountState, long, string> UntrustworthySecondaryCounts => new()
    {
        { SecondaryCount.DownloadsAllTime, HubCountState.Missing, 0, "missing downloadsAllTime" },
        { SecondaryCount.DownloadsAllTime, HubCountState.Null, 0, "null downloadsAllTime" },
        { SecondaryCount.DownloadsAllTime, HubCountState.Invalid, 0, "non-numeric downloadsAllTime" },
        { SecondaryCount.DownloadsAllTime, HubCountState.Valid, -1, "negative downloadsAllTime" },
        { SecondaryCount.DownloadsAllTime, HubCountState.Valid, RecordValidator.MaxPlausibleCount + 1, "implausible downloadsAllTime" },
        { SecondaryCount.Likes, HubCountState.Missing, 0, "missing likes" },
        { SecondaryCount.Likes, HubCountState.Null, 0, "null likes" },
        { SecondaryCount.Likes, HubCountState.Invalid, 0, "non-numeric likes" },
        { SecondaryCount.Likes, HubCountState.Valid, -5, "negative likes" },
        { SecondaryCount.Likes, HubCountState.Valid, RecordValidator.MaxPlausibleCount + 1, "implausible likes" },
        { SecondaryCount.TrendingScore, HubCountState.Missing, 0, "missing trendingScore" },
        { SecondaryCount.TrendingScore, HubCountState.Null, 0, "null trendingScore" },
        { SecondaryCount.TrendingScore, HubCountState.Invalid, 0, "non-numeric trendingScore" },
        { SecondaryCount.TrendingScore, HubCountState.Valid, RecordValidator.MaxPlausibleCount + 1, "implausible trendingScore" },
        { SecondaryCount.TrendingScore, HubCountState.Valid, -RecordValidator.MaxPlausibleCount - 1, "implausible trendingScore" },
    };

    [Theory]
    [MemberData(nameof(UntrustworthySecondaryCounts))]
    public void AnUntrustworthySecondaryCountIsLeftUnknownWithItsReasonAndTheRecordStored(SecondaryCount field, HubCountState state, long value, string reason)
    {
        var count = new HubCount(state, value);
        var model = field switch
        {
            SecondaryCount.DownloadsAllTime => Model(all: count),
            SecondaryCount.Likes => Model(likes: count),
            _ => Model(trending: count),
        };

        var check = RecordValidator.Check(model);

        Assert.Null(check.Rejection);
        Assert.Equal([reason], check.Unknown);
        Assert.Equal(reason, RecordValidator.Untrusted(count, field));
    }

    [Fact]
    public void EveryUntrustworthySecondaryCountHasItsOwnReason()
    {
        var check = RecordValidator.Check(Model(all: _implausible, likes: HubCount.Of(-2), trending: _text));

        Assert.Null(check.Rejection);
        Assert.Equal(["implausible downloadsAllTime", "negative likes", "non-numeric trendingScore"], check.Unknown);
    }

    [Fact]
    public void ATextFieldWithAControlCharacterIsLeftUnknownWithItsReasonAndTheRecordStored()
    {
        // A sound record but for its text fields.
        static HubModel WithText(string pipelineTag, string libraryName, string[] tags) => new()
        {
            Id = "a/b",
            Downloads = HubCount.Of(10),
            DownloadsAllTime = HubCount.Of(100),
            Likes = HubCount.Of(1),
            TrendingScore = HubCount.Of(0),
            PipelineTag = pipelineTag,
            LibraryName = libraryName,
            Tags = tags,
        };

        var garbled = WithText("text-generation\u0000", "transformers\u0001", ["license:mit\u0000", "base_model:finetune:org/parent\u0000", "en\u0000"]);

        var check = RecordValidator.Check(garbled);

        Assert.Null(check.Rejection);
        Assert.Equal(["control character in pipeline_tag", "control character in library_name", "control character in license", "control character in base_model"], check.Unknown);
        // A tag the store does not keep, and sound text fields, are no reason.
        Assert.Same(RecordCheck.Sound, RecordValidator.Check(WithText("text-generation", "transformers", ["license:mit", "base_model:org/parent", "en\u0000"])));
        Assert.False(RecordValidator.IsWellFormedId("org/parent\u0000"));
        Assert.True(RecordValidator.IsWellFormedId("org/parent"));
    }

    [Fact]
    public void ANegativeTrendingScoreAndTheLargestPlausibleCountsAreStoredAsSent()
    {
        Assert.Same(RecordCheck.Sound, RecordValidator.Check(Model(trending: HubCount.Of(-12))));
        var largest = HubCount.Of(RecordValidator.MaxPlausibleCount);
        Assert.Same(RecordCheck.Sound, RecordValidator.Check(Model(downloads: largest, all: largest, likes: largest, trending: largest)));
        Assert.Null(RecordValidator.Untrusted(HubCount.Of(-12), SecondaryCount.TrendingScore));
        Assert.Null(RecordValidator.Untrusted(HubCount.Of(0), SecondaryCount.Likes));
    }

    [Fact]
    public void ARunThatStoredNothingOrRejectedMostIsNotTrusted()
    {
        Assert.Null(RecordValidator.DistrustRun(10, new Dictionary<string, int> { ["null downloads"] = 10 }));
        Assert.Equal("The Hub listed no usable model (898 records rejected: null downloads: 898); the previous run stays the as-of run.",
            RecordValidator.DistrustRun(0, new Dictionary<string, int> { ["null downloads"] = 898 }));
        Assert.Equal("The Hub listed no usable model (0 records rejected); the previous run stays the as-of run.",
            RecordValidator.DistrustRun(0, new Dictionary<string, int>()));
        Assert.StartsWith("More records were rejected (11) than stored (10): negative downloads: 6; null downloads: 5;",
            RecordValidator.DistrustRun(10, new Dictionary<string, int> { ["null downloads"] = 5, ["negative downloads"] = 6 }));
    }

    [Fact]
    public void TheLargestRealCountsPass()
    {
        // sentence-transformers/all-MiniLM-L6-v2 had 257,229,302 downloads in 30 days in August 2026.
        Assert.Same(RecordCheck.Sound, RecordValidator.Check(Model(downloads: HubCount.Of(257_229_302), all: HubCount.Of(5_000_000_000))));
    }
}
