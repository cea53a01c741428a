using OpenModelWatch.Web.Flags;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Flags;

/// <summary>The adjusted view's arithmetic on a hand-built run, worked out by hand.</summary>
public sealed class AdjustedSharesTests
{
    // 4,000 downloads in all: Qwen 1,000 (CN), DeepSeek 500 (CN), Meta 2,000 (US), community uploaders 500.
    // One Qwen model is flagged with an excess of 600: the adjusted whole is 3,400.
    private static readonly (string?, string?, long)[] _raw = [("alibaba-qwen", "CN", 1_000), ("deepseek", "CN", 500), ("meta", "US", 2_000), (null, null, 500)];
    private static readonly (string?, string?, long)[] _excess = [("alibaba-qwen", "CN", 600)];

    [Fact]
    public void ByRegionTheFlaggedExcessLeavesChinaAndTheWhole()
    {
        var items = AdjustedShares.Adjust(_raw, _excess, Attribution.Uploader, ShareGroup.Region).ToDictionary(item => item.Key);

        Assert.Equal(new AdjustedShareItem("China", "China", 1_500, 1_500 / 4_000d, 1, 600, 900, 900 / 3_400d), items["China"]);
        Assert.Equal(new AdjustedShareItem("US", "US", 2_000, 0.5, 0, 0, 2_000, 2_000 / 3_400d), items["US"]);
        Assert.Equal(new AdjustedShareItem("Community", "Community", 500, 0.125, 0, 0, 500, 500 / 3_400d), items["Community"]);
        Assert.Equal(new AdjustedShareItem("Europe", "Europe", 0, 0, 0, 0, 0, 0), items["Europe"]);
        Assert.Equal(1.0, items.Values.Sum(item => item.AdjustedShare), 12);
    }

    [Fact]
    public void ByLabAndByCountryTheSameExcessLandsOnItsOwnGroup()
    {
        var labs = AdjustedShares.Adjust(_raw, _excess, Attribution.Uploader, ShareGroup.Lab).ToDictionary(item => item.Key);
        Assert.Equal(["alibaba-qwen", "deepseek", "meta", AdjustedShares.NoLab], labs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((400L, 400 / 3_400d, "China"), (labs["alibaba-qwen"].AdjustedDownloads30d, labs["alibaba-qwen"].AdjustedShare, labs["alibaba-qwen"].Region));
        Assert.Equal((500L, 500 / 3_400d), (labs["deepseek"].AdjustedDownloads30d, labs["deepseek"].AdjustedShare));
        Assert.Equal("Community", labs[AdjustedShares.NoLab].Region);

        var countries = AdjustedShares.Adjust(_raw, _excess, Attribution.Origin, ShareGroup.Country).ToDictionary(item => item.Key);
        Assert.Equal(["CN", "US", "XX"], countries.Keys.Order(StringComparer.Ordinal));
        Assert.Equal((900L, "Unknown"), (countries["CN"].AdjustedDownloads30d, countries["XX"].Region));
    }

    [Fact]
    public void WithoutFlagsTheAdjustedFiguresAreTheRawOnes()
    {
        foreach (var item in AdjustedShares.Adjust(_raw, [], Attribution.Uploader, ShareGroup.Country))
        {
            Assert.Equal((item.Downloads30d, item.Share, 0L), (item.AdjustedDownloads30d, item.AdjustedShare, item.Excess));
        }
    }
}
