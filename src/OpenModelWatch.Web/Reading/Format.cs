using System.Globalization;
using OpenModelWatch.Web.Localization;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// Numbers, shares and times as people read them, in the reader's language (<see cref="Languages.Current"/>): English
/// as the dashboard always wrote them, in the invariant culture so a screenshot means the same everywhere (1.2M, 34.5%,
/// 2026-11-24 06:00 UTC); Spanish with its own separators and words (1,2 M, 34,5 %, 24 nov 2026, 06:00 UTC). The words
/// and patterns (units, "ago", the date pattern) are <c>Format.*</c> texts of <see cref="Texts"/>, so a new language is
/// a translation. Pages show these and put <see cref="Exact(long)"/> in a tooltip. Files whose values are read by
/// programs (CSV and JSON values, the API) never go through here.
/// </summary>
public static class Format
{
    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;
    private static readonly (double Scale, string Key)[] _units =
        [(1e12, "Format.Unit.Trillion"), (1e9, "Format.Unit.Billion"), (1e6, "Format.Unit.Million"), (1e3, "Format.Unit.Thousand")];

    /// <summary>The culture numbers and dates are written in: invariant for English (today's output), else the language's.</summary>
    public static CultureInfo Culture => Languages.Current == Languages.Default ? _invariant : Languages.Culture(Languages.Current)!;

    /// <summary>1,234,567 → 1.2M (es: 1,2 M); below 1,000 the number itself; one decimal, dropped when it is zero (2M, not 2.0M).</summary>
    public static string Compact(long value) => Compact((double)value);

    public static string Compact(double value)
    {
        var culture = Culture;
        var sign = value < 0 ? "-" : "";
        var magnitude = Math.Abs(value);
        if (magnitude < 999.5)
        {
            return sign + (magnitude == Math.Floor(magnitude)
                ? magnitude.ToString("0", culture)
                : magnitude.ToString("0.#", culture));
        }

        for (var i = 0; i < _units.Length; i++)
        {
            var unit = _units[_units.Length - 1 - i];
            var scaled = Math.Round(magnitude / unit.Scale, 1, MidpointRounding.AwayFromZero);
            // 999,960 rounds to 1000.0K: say 1M instead.
            if (scaled < 1000 || i == _units.Length - 1)
            {
                return sign + string.Format(culture, Texts.Get(unit.Key), scaled.ToString("0.#", culture));
            }
        }

        return sign + magnitude.ToString("0", culture);
    }

    /// <summary>The exact value with thousands separators: 1,234,567 (es: 1.234.567).</summary>
    public static string Exact(long value) => value.ToString("#,0", Culture);

    /// <summary>A share (0–1) as a percentage with one decimal: 0.3451 → 34.5% (es: 34,5 %); a non-zero share under 0.05% → &lt;0.1%.</summary>
    public static string Percent(double share)
    {
        if (double.IsNaN(share))
        {
            return "–";
        }

        var percent = share * 100;
        return percent is > 0 and < 0.05 ? "<" + Percentage(0.1, "0.0") : Percentage(percent, "0.0");
    }

    /// <summary>The share with enough digits to check a sum: 0.345123 → 34.5123%.</summary>
    public static string ExactPercent(double share) => Percentage(share * 100, "0.####");

    /// <summary>A relative change: 0.123 → +12.3%, -0.045 → −4.5%; "new" when there is nothing to compare with.</summary>
    public static string Change(double? ratio) => ratio switch
    {
        null => Texts.Get("Format.New"),
        { } r when double.IsInfinity(r) || double.IsNaN(r) => Texts.Get("Format.New"),
        { } r when Math.Abs(r) < 0.0005 => "±" + Percentage(0, "0.0"),
        { } r => (r > 0 ? "+" : "\u2212") + Percentage(Math.Abs(r * 100), "0.0"),
    };

    /// <summary>
    /// How many times larger, as a person would write it: 9.1×, 42×, 910×; from 1,000 on, words rounded to two
    /// significant digits ("about 90,000 times as many") rather than a figure no one reads ("89783.24×").
    /// </summary>
    public static string Ratio(double ratio)
    {
        if (double.IsNaN(ratio) || double.IsInfinity(ratio) || ratio < 0)
        {
            return "–";
        }

        var culture = Culture;
        if (Math.Round(ratio, 1, MidpointRounding.AwayFromZero) < 10)
        {
            return ratio.ToString("0.0", culture) + "×";
        }

        if (Math.Round(ratio, MidpointRounding.AwayFromZero) < 1000)
        {
            return ratio.ToString("0", culture) + "×";
        }

        var digits = Math.Pow(10, Math.Floor(Math.Log10(ratio)) - 1);
        var rounded = Math.Round(ratio / digits, MidpointRounding.AwayFromZero) * digits;
        return string.Format(culture, Texts.Get("Format.AboutTimes"), rounded.ToString("#,0", culture));
    }

    /// <summary>A count with its noun, singular for exactly one: "1 model", "2,345 models", "1 country" with <paramref name="plural"/> "countries".</summary>
    public static string Count(long count, string singular, string? plural = null) =>
        Exact(count) + " " + (count == 1 ? singular : plural ?? singular + "s");

    /// <summary>
    /// A count in the reader's language from the texts <c>{key}.One</c> and <c>{key}.Other</c> ("{0} lab" / "{0} labs",
    /// "{0} laboratorio" / "{0} laboratorios"), the number written by <see cref="Exact(long)"/>.
    /// </summary>
    public static string Counted(long count, string key) =>
        string.Format(Culture, Texts.Get(Plurals.KeyFor(key, count)), Exact(count));

    /// <summary>A figure with one decimal, the way every decimal on the pages reads: 3.14159 → 3.1, 2 → 2.0 (es: 3,1).</summary>
    public static string Decimal(double value) => value.ToString("0.0", Culture);

    /// <summary>A figure as a chart's axis writes it, with a .NET number pattern ("0.#") in the reader's culture.</summary>
    public static string Number(double value, string pattern) => value.ToString(pattern, Culture);

    /// <summary>
    /// A lineage relation as the noun a sentence needs, with its article: "quantized" → ("A", "quantization"),
    /// "adapter" → ("An", "adapter"); none or an unknown one → ("A", "derivative"). Spanish: ("Una", "cuantización").
    /// </summary>
    public static (string Article, string Noun) Relation(string? relation)
    {
        var key = relation is "finetune" or "quantized" or "adapter" or "merge" ? relation : "derivative";
        return (Texts.Get($"Format.Relation.{key}.Article"), Texts.Get($"Format.Relation.{key}"));
    }

    /// <summary>A model size in parameters: 7,620,000,000 → 7.6B params; unknown → –.</summary>
    public static string Parameters(long? parameters) => parameters is { } p ? Compact(p) : "–";

    /// <summary>A UTC time to the minute: 2026-11-24 06:00 UTC (es: 24 nov 2026, 06:00 UTC).</summary>
    public static string Time(DateTime? utc) =>
        utc is { } t ? t.ToString(Texts.Get("Format.TimePattern"), Culture) + " UTC" : "–";

    /// <summary>A UTC time to the second, for tooltips.</summary>
    public static string ExactTime(DateTime? utc) =>
        utc is { } t ? t.ToString(Texts.Get("Format.ExactTimePattern"), Culture) + " UTC" : "–";

    /// <summary>A UTC day: 2026-11-24 (es: 24 nov 2026).</summary>
    public static string Date(DateTime? utc) => utc is { } t ? t.ToString(Texts.Get("Format.DatePattern"), Culture) : "–";

    /// <summary>A month: November 2024 (es: noviembre de 2024).</summary>
    public static string Month(DateTime at) => at.ToString(Texts.Get("Format.MonthPattern"), Culture);

    /// <summary>A point on a time axis with a .NET date pattern ("MMM d", "HH:mm"), month names in the reader's language.</summary>
    public static string AxisDate(DateTime at, string pattern) => at.ToString(pattern, Culture);

    /// <summary>3 min 12 s, 1 h 05 min, 850 ms.</summary>
    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "–",
        { TotalSeconds: < 1 } d => d.TotalMilliseconds.ToString("0", Culture) + " ms",
        { TotalMinutes: < 1 } d => d.TotalSeconds.ToString("0.#", Culture) + " s",
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes} min {d.Seconds:00} s",
        { } d => $"{(int)d.TotalHours} h {d.Minutes:00} min",
    };

    /// <summary>How long ago, for "as of … (3 h ago)".</summary>
    public static string Ago(DateTime utc, DateTime now)
    {
        var elapsed = now - utc;
        return elapsed switch
        {
            { TotalMinutes: < 1 } => Texts.Get("Format.Ago.Now"),
            { TotalHours: < 1 } => string.Format(_invariant, Texts.Get("Format.Ago.Minutes"), (int)elapsed.TotalMinutes),
            { TotalDays: < 2 } => string.Format(_invariant, Texts.Get("Format.Ago.Hours"), (int)elapsed.TotalHours),
            _ => string.Format(_invariant, Texts.Get("Format.Ago.Days"), (int)elapsed.TotalDays),
        };
    }

    /// <summary>The flag emoji of an ISO 3166-1 alpha-2 code (regional indicator letters); a white flag for XX.</summary>
    public static string Flag(string? country)
    {
        if (country is not { Length: 2 } || country == Registry.Regions.UnknownCountry || !char.IsAsciiLetterUpper(country[0]) || !char.IsAsciiLetterUpper(country[1]))
        {
            return "\U0001F3F3";
        }

        return char.ConvertFromUtf32(0x1F1E6 + country[0] - 'A') + char.ConvertFromUtf32(0x1F1E6 + country[1] - 'A');
    }

    /// <summary>A figure already in percent with a .NET number pattern: (25, "0") → 25% (es: 25 %).</summary>
    public static string Percentage(double percent, string pattern) =>
        string.Format(Culture, Texts.Get("Format.Percent"), percent.ToString(pattern, Culture));
}
