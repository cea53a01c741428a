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

    [Fact]
    public void AGoodRecordPasses() => Assert.Null(RecordValidator.Reject(Model()));

    [Fact]
    public void EachUntrustworthyRecordGetsItsReason()
    {
        Assert.Equal("missing id", RecordValidator.Reject(Model(id: null)));
        Assert.Equal("missing id", RecordValidator.Reject(Model(id: " ")));
        Assert.Equal("malformed id", RecordValidator.Reject(Model(id: "a/b c")));
        Assert.Equal("null downloads", RecordValidator.Reject(Model(downloads: new HubCount(HubCountState.Null, 0))));
        Assert.Equal("non-numeric likes", RecordValidator.Reject(Model(likes: new HubCount(HubCountState.Invalid, 0))));
        Assert.Equal("negative likes", RecordValidator.Reject(Model(likes: HubCount.Of(-5))));
        Assert.Equal("missing downloadsAllTime", RecordValidator.Reject(Model(all: default(HubCount))));
        Assert.Equal("implausible downloads", RecordValidator.Reject(Model(downloads: HubCount.Of(1L << 40))));
    }

    [Fact]
    public void ARunThatStoredNothingOrRejectedMostIsNotTrusted()
    {
        Assert.Null(RecordValidator.DistrustRun(10, new Dictionary<string, int> { ["null downloads"] = 10 }));
        Assert.Equal("The Hub listed no usable model (898 records rejected: missing downloadsAllTime: 898); the previous run stays the as-of run.",
            RecordValidator.DistrustRun(0, new Dictionary<string, int> { ["missing downloadsAllTime"] = 898 }));
        Assert.Equal("The Hub listed no usable model (0 records rejected); the previous run stays the as-of run.",
            RecordValidator.DistrustRun(0, new Dictionary<string, int>()));
        Assert.StartsWith("More records were rejected (11) than stored (10): negative likes: 6; null downloads: 5;",
            RecordValidator.DistrustRun(10, new Dictionary<string, int> { ["null downloads"] = 5, ["negative likes"] = 6 }));
    }

    [Fact]
    public void TheLargestRealCountsPass()
    {
        // sentence-transformers/all-MiniLM-L6-v2 had 257,229,302 downloads in 30 days in August 2026.
        Assert.Null(RecordValidator.Reject(Model(downloads: HubCount.Of(257_229_302), all: HubCount.Of(5_000_000_000))));
    }
}
