using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Reading;

public sealed class FormatTests
{
    [Theory]
    [InlineData(0, "0")]
    [InlineData(999, "999")]
    [InlineData(1_000, "1K")]
    [InlineData(1_234, "1.2K")]
    [InlineData(12_345, "12.3K")]
    [InlineData(999_949, "999.9K")]
    [InlineData(999_950, "1M")]
    [InlineData(1_234_567, "1.2M")]
    [InlineData(2_000_000, "2M")]
    [InlineData(34_500_000_000, "34.5B")]
    [InlineData(-1_250_000, "-1.3M")]
    public void CountsAreShortForPeople(long value, string expected) => Assert.Equal(expected, Format.Compact(value));

    [Fact]
    public void ExactCountsHaveThousandsSeparatorsInAnyCulture()
    {
        var culture = System.Globalization.CultureInfo.CurrentCulture;
        try
        {
            System.Globalization.CultureInfo.CurrentCulture = new System.Globalization.CultureInfo("de-DE");
            Assert.Equal("1,234,567", Format.Exact(1_234_567));
            Assert.Equal("1.2M", Format.Compact(1_234_567));
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentCulture = culture;
        }
    }

    [Theory]
    [InlineData(0.3451, "34.5%")]
    [InlineData(1.0, "100.0%")]
    [InlineData(0.0, "0.0%")]
    [InlineData(0.0004, "<0.1%")]
    [InlineData(0.00051, "0.1%")]
    public void SharesArePercentagesWithOneDecimal(double share, string expected) => Assert.Equal(expected, Format.Percent(share));

    [Theory]
    [InlineData(0.123, "+12.3%")]
    [InlineData(-0.045, "\u22124.5%")]
    [InlineData(0.0001, "±0.0%")]
    [InlineData(null, "new")]
    public void ChangesAreSigned(double? ratio, string expected) => Assert.Equal(expected, Format.Change(ratio));

    [Fact]
    public void TimesAreUtcToTheMinuteAndDurationsReadable()
    {
        Assert.Equal("2026-11-24 06:05 UTC", Format.Time(new DateTime(2026, 11, 24, 6, 5, 59, DateTimeKind.Utc)));
        Assert.Equal("–", Format.Time(null));
        Assert.Equal("850 ms", Format.Duration(TimeSpan.FromMilliseconds(850)));
        Assert.Equal("3 min 12 s", Format.Duration(TimeSpan.FromSeconds(192)));
        Assert.Equal("1 h 05 min", Format.Duration(TimeSpan.FromMinutes(65)));
    }

    [Fact]
    public void FlagsAreRegionalIndicatorsAndUnknownIsAWhiteFlag()
    {
        Assert.Equal("\U0001F1E8\U0001F1F3", Format.Flag("CN"));
        Assert.Equal("\U0001F3F3", Format.Flag("XX"));
        Assert.Equal("\U0001F3F3", Format.Flag("c1"));
    }
}
