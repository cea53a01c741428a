using System.Globalization;

namespace OpenModelWatch.Web.Reading;

/// <summary>
/// Numbers, shares and times as people read them (1.2M, 34.5%, 2026-11-24 06:00 UTC), always in the invariant
/// culture so a screenshot means the same everywhere. Pages show these and put <see cref="Exact(long)"/> in a tooltip.
/// </summary>
public static class Format
{
    private static readonly CultureInfo _invariant = CultureInfo.InvariantCulture;
    private static readonly (double Scale, string Suffix)[] _units = [(1e12, "T"), (1e9, "B"), (1e6, "M"), (1e3, "K")];

    /// <summary>1,234,567 → 1.2M; below 1,000 the number itself; one decimal, dropped when it is zero (2M, not 2.0M).</summary>
    public static string Compact(long value) => Compact((double)value);

    public static string Compact(double value)
    {
        var sign = value < 0 ? "-" : "";
        var magnitude = Math.Abs(value);
        if (magnitude < 999.5)
        {
            return sign + (magnitude == Math.Floor(magnitude)
                ? magnitude.ToString("0", _invariant)
                : magnitude.ToString("0.#", _invariant));
        }

        for (var i = _units.Length - 1; i >= 0; i--)
        {
            var scaled = Math.Round(magnitude / _units[i].Scale, 1, MidpointRounding.AwayFromZero);
            // 999,960 rounds to 1000.0K: say 1M instead.
            if (scaled < 1000 || i == 0)
            {
                return sign + scaled.ToString("0.#", _invariant) + _units[i].Suffix;
            }
        }

        return sign + magnitude.ToString("0", _invariant);
    }

    /// <summary>The exact value with thousands separators: 1,234,567.</summary>
    public static string Exact(long value) => value.ToString("#,0", _invariant);

    /// <summary>A share (0–1) as a percentage with one decimal: 0.3451 → 34.5%; a non-zero share under 0.05% → &lt;0.1%.</summary>
    public static string Percent(double share)
    {
        if (double.IsNaN(share))
        {
            return "–";
        }

        var percent = share * 100;
        return percent is > 0 and < 0.05 ? "<0.1%" : percent.ToString("0.0", _invariant) + "%";
    }

    /// <summary>The share with enough digits to check a sum: 0.345123 → 34.5123%.</summary>
    public static string ExactPercent(double share) => (share * 100).ToString("0.####", _invariant) + "%";

    /// <summary>A relative change: 0.123 → +12.3%, -0.045 → −4.5%; null when there is nothing to compare with.</summary>
    public static string Change(double? ratio) => ratio switch
    {
        null => "new",
        { } r when double.IsInfinity(r) || double.IsNaN(r) => "new",
        { } r when Math.Abs(r) < 0.0005 => "±0.0%",
        { } r => (r > 0 ? "+" : "\u2212") + Math.Abs(r * 100).ToString("0.0", _invariant) + "%",
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

        if (Math.Round(ratio, 1, MidpointRounding.AwayFromZero) < 10)
        {
            return ratio.ToString("0.0", _invariant) + "×";
        }

        if (Math.Round(ratio, MidpointRounding.AwayFromZero) < 1000)
        {
            return ratio.ToString("0", _invariant) + "×";
        }

        var digits = Math.Pow(10, Math.Floor(Math.Log10(ratio)) - 1);
        var rounded = Math.Round(ratio / digits, MidpointRounding.AwayFromZero) * digits;
        return "about " + rounded.ToString("#,0", _invariant) + " times as many";
    }

    /// <summary>A count with its noun, singular for exactly one: "1 model", "2,345 models", "1 country" with <paramref name="plural"/> "countries".</summary>
    public static string Count(long count, string singular, string? plural = null) =>
        Exact(count) + " " + (count == 1 ? singular : plural ?? singular + "s");

    /// <summary>A figure with one decimal, the way every decimal on the pages reads: 3.14159 → 3.1, 2 → 2.0.</summary>
    public static string Decimal(double value) => value.ToString("0.0", _invariant);

    /// <summary>
    /// A lineage relation as the noun a sentence needs, with its article: "quantized" → ("A", "quantization"),
    /// "adapter" → ("An", "adapter"); none or an unknown one → ("A", "derivative").
    /// </summary>
    public static (string Article, string Noun) Relation(string? relation) => relation switch
    {
        "finetune" => ("A", "fine-tune"),
        "quantized" => ("A", "quantization"),
        "adapter" => ("An", "adapter"),
        "merge" => ("A", "merge"),
        _ => ("A", "derivative"),
    };

    /// <summary>A model size in parameters: 7,620,000,000 → 7.6B params; unknown → –.</summary>
    public static string Parameters(long? parameters) => parameters is { } p ? Compact(p) : "–";

    /// <summary>A UTC time to the minute: 2026-11-24 06:00 UTC.</summary>
    public static string Time(DateTime? utc) =>
        utc is { } t ? t.ToString("yyyy-MM-dd HH:mm", _invariant) + " UTC" : "–";

    /// <summary>A UTC time to the second, for tooltips.</summary>
    public static string ExactTime(DateTime? utc) =>
        utc is { } t ? t.ToString("yyyy-MM-dd HH:mm:ss", _invariant) + " UTC" : "–";

    public static string Date(DateTime? utc) => utc is { } t ? t.ToString("yyyy-MM-dd", _invariant) : "–";

    /// <summary>3 min 12 s, 1 h 05 min, 850 ms.</summary>
    public static string Duration(TimeSpan? duration) => duration switch
    {
        null => "–",
        { TotalSeconds: < 1 } d => d.TotalMilliseconds.ToString("0", _invariant) + " ms",
        { TotalMinutes: < 1 } d => d.TotalSeconds.ToString("0.#", _invariant) + " s",
        { TotalHours: < 1 } d => $"{(int)d.TotalMinutes} min {d.Seconds:00} s",
        { } d => $"{(int)d.TotalHours} h {d.Minutes:00} min",
    };

    /// <summary>How long ago, for "as of … (3 h ago)".</summary>
    public static string Ago(DateTime utc, DateTime now)
    {
        var elapsed = now - utc;
        return elapsed switch
        {
            { TotalMinutes: < 1 } => "just now",
            { TotalHours: < 1 } => $"{(int)elapsed.TotalMinutes} min ago",
            { TotalDays: < 2 } => $"{(int)elapsed.TotalHours} h ago",
            _ => $"{(int)elapsed.TotalDays} days ago",
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
}
