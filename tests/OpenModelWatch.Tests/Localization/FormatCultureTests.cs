using System.Reflection;
using Bunit;
using MudBlazor;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Tests.Localization;

/// <summary>
/// Numbers, shares, abbreviations, ratios and dates in both languages, exact strings: English as the dashboard always
/// wrote them, Spanish as docs/glossary.md says (1.234.567, 34,5 %, 1,2 M, 3,4 mil M, 12 mil, 24 nov 2026, 06:00 UTC).
/// </summary>
public sealed class FormatCultureTests : IAsyncDisposable
{
    private readonly BunitContext _context = BunitSetup.NewContext();

    [Theory]
    [InlineData("en", 1_234_567, "1,234,567")]
    [InlineData("es", 1_234_567, "1.234.567")]
    [InlineData("en", 999, "999")]
    [InlineData("es", 999, "999")]
    public void ExactNumbers(string language, long value, string expected)
    {
        using var culture = new CultureScope(language);
        Assert.Equal(expected, Format.Exact(value));
    }

    [Theory]
    [InlineData("en", 0.345, "34.5%")]
    [InlineData("es", 0.345, "34,5 %")]
    [InlineData("en", 0.0001, "<0.1%")]
    [InlineData("es", 0.0001, "<0,1 %")]
    [InlineData("en", 1.0, "100.0%")]
    [InlineData("es", 1.0, "100,0 %")]
    public void Percentages(string language, double share, string expected)
    {
        using var culture = new CultureScope(language);
        Assert.Equal(expected, Format.Percent(share));
    }

    [Theory]
    [InlineData("en", 1_234_567, "1.2M")]
    [InlineData("es", 1_234_567, "1,2 M")]
    [InlineData("en", 3_400_000_000, "3.4B")]
    [InlineData("es", 3_400_000_000, "3,4 mil M")]
    [InlineData("en", 12_000, "12K")]
    [InlineData("es", 12_000, "12 mil")]
    [InlineData("en", 999_950, "1M")]
    [InlineData("es", 999_950, "1 M")]
    [InlineData("es", 2_500_000_000_000, "2,5 B")]
    [InlineData("es", -1_250_000, "-1,3 M")]
    public void Abbreviations(string language, long value, string expected)
    {
        using var culture = new CultureScope(language);
        Assert.Equal(expected, Format.Compact(value));
    }

    [Theory]
    [InlineData("en", 9.1, "9.1×")]
    [InlineData("es", 9.1, "9,1×")]
    [InlineData("en", 42.0, "42×")]
    [InlineData("es", 42.0, "42×")]
    [InlineData("en", 89_783.24, "about 90,000 times as many")]
    [InlineData("es", 89_783.24, "unas 90.000 veces más")]
    public void Ratios(string language, double ratio, string expected)
    {
        using var culture = new CultureScope(language);
        Assert.Equal(expected, Format.Ratio(ratio));
    }

    [Theory]
    [InlineData("en", 0.123, "+12.3%")]
    [InlineData("es", 0.123, "+12,3 %")]
    [InlineData("es", -0.045, "\u22124,5 %")]
    [InlineData("es", 0.0, "±0,0 %")]
    [InlineData("en", null, "new")]
    [InlineData("es", null, "nuevo")]
    public void Changes(string language, double? ratio, string expected)
    {
        using var culture = new CultureScope(language);
        Assert.Equal(expected, Format.Change(ratio));
    }

    [Theory]
    [InlineData("en", "2026-11-24 06:00 UTC", "2026-11-24 06:00:07 UTC", "2026-11-24", "November 2026")]
    [InlineData("es", "24 nov 2026, 06:00 UTC", "24 nov 2026, 06:00:07 UTC", "24 nov 2026", "noviembre de 2026")]
    public void DatesAndMonths(string language, string time, string exactTime, string date, string month)
    {
        var at = new DateTime(2026, 11, 24, 6, 0, 7, DateTimeKind.Utc);
        using var culture = new CultureScope(language);
        Assert.Equal(time, Format.Time(at));
        Assert.Equal(exactTime, Format.ExactTime(at));
        Assert.Equal(date, Format.Date(at));
        Assert.Equal(month, Format.Month(at));
    }

    [Theory]
    [InlineData("en", "3 h ago", "just now", "4 days ago", "1.5 s")]
    [InlineData("es", "hace 3 h", "ahora mismo", "hace 4 días", "1,5 s")]
    public void AgoAndDurations(string language, string hours, string now, string days, string seconds)
    {
        var at = new DateTime(2026, 11, 24, 6, 0, 0, DateTimeKind.Utc);
        using var culture = new CultureScope(language);
        Assert.Equal(hours, Format.Ago(at, at.AddHours(3.5)));
        Assert.Equal(now, Format.Ago(at, at.AddSeconds(20)));
        Assert.Equal(days, Format.Ago(at, at.AddDays(4.2)));
        Assert.Equal(seconds, Format.Duration(TimeSpan.FromSeconds(1.5)));
    }

    [Theory]
    [InlineData("en", 1, "1 lab")]
    [InlineData("en", 1234, "1,234 labs")]
    [InlineData("es", 1, "1 laboratorio")]
    [InlineData("es", 1234, "1.234 laboratorios")]
    public void CountsWithTheirNoun(string language, long count, string expected)
    {
        using var culture = new CultureScope(language);
        Assert.Equal(expected, Format.Counted(count, "Common.Labs"));
    }

    [Theory]
    [InlineData("en", "US", "US", "CN", "China")]
    [InlineData("es", "US", "Estados Unidos", "US", "Estados Unidos")]
    [InlineData("es", "Europe", "Europa", "DE", "Alemania")]
    [InlineData("es", "Other", "Otros", "XX", "País desconocido")]
    [InlineData("es", "Community", "Comunidad", "ZZ", "ZZ")]
    public void PlacesByName(string language, string region, string regionName, string country, string countryName)
    {
        using var culture = new CultureScope(language);
        Assert.Equal(regionName, PlaceNames.Region(region));
        Assert.Equal(countryName, PlaceNames.Country(country));
    }

    [Theory]
    [InlineData("en", 1_234_567, "1.2M", "1,234,567", 0.345, "34.5%", "34.5%")]
    [InlineData("es", 1_234_567, "1,2 M", "1.234.567", 0.345, "34,5 %", "34,5 %")]
    public void NumbersRenderedInTheReadersCulture(string language, long value, string shown, string tooltip, double share, string percent, string exactPercent)
    {
        using var culture = new CultureScope(language);
        var number = _context.Render<Num>(parameters => parameters.Add(p => p.Value, value)).Find("span");
        var pct = _context.Render<Pct>(parameters => parameters.Add(p => p.Value, share)).Find("span");

        Assert.Equal(shown, number.TextContent);
        Assert.Equal(tooltip, number.GetAttribute("title"));
        Assert.Equal(percent, pct.TextContent);
        Assert.Equal(exactPercent, pct.GetAttribute("title"));
    }

    [Fact]
    public void MudBlazorsPagingTextsComeFromTexts()
    {
        var texts = new MudTexts();
        using (new CultureScope("es"))
        {
            Assert.Equal("Filas por página:", texts["MudDataGridPager_RowsPerPage"].Value);
            Assert.Equal("1-25 de 1.234", texts["MudDataGridPager_InfoFormat", "1", "25", 1234.ToString("N0", System.Globalization.CultureInfo.CurrentCulture)].Value);
            Assert.True(texts["MudSomething_NotOurs"].ResourceNotFound);
        }

        using (new CultureScope("en"))
        {
            Assert.Equal("Rows per page:", texts["MudDataGridPager_RowsPerPage"].Value);
        }
    }

    [Fact]
    public void TermsConstantsAreTheEnglishTexts()
    {
        using var culture = new CultureScope("en");
        var constants = typeof(Terms).GetFields(BindingFlags.Public | BindingFlags.Static).Where(field => field.IsLiteral).ToArray();
        Assert.NotEmpty(constants);
        Assert.All(constants, field => Assert.Equal((string)field.GetRawConstantValue()!, Texts.Get("Term." + field.Name)));
    }

    public async ValueTask DisposeAsync() => await _context.DisposeAsync();

}
