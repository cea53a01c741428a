namespace OpenModelWatch.Web.Registry;

/// <summary>Chart buckets. Derived from a country code, never stored.</summary>
public static class Regions
{
    public const string China = "China";
    public const string Us = "US";
    public const string Europe = "Europe";
    public const string Other = "Other";
    public const string Unknown = "Unknown";

    /// <summary>Uploader attribution: namespaces outside the registry. Country <c>XX</c>, named by namespace.</summary>
    public const string Community = "Community";

    public const string UnknownCountry = "XX";

    public static readonly IReadOnlyList<string> All = [China, Us, Europe, Other, Unknown];

    // Geographic Europe, the UK, Switzerland and Norway included: what "European labs" means in the public debate.
    private static readonly HashSet<string> _europe = new(StringComparer.Ordinal)
    {
        "AD", "AL", "AT", "BA", "BE", "BG", "BY", "CH", "CY", "CZ", "DE", "DK", "EE", "ES", "FI", "FO", "FR", "GB",
        "GG", "GI", "GR", "HR", "HU", "IE", "IM", "IS", "IT", "JE", "LI", "LT", "LU", "LV", "MC", "MD", "ME", "MK",
        "MT", "NL", "NO", "PL", "PT", "RO", "RS", "SE", "SI", "SK", "SM", "UA", "VA", "XK",
    };

    // Hong Kong and Macau are Chinese special administrative regions; Taiwan is counted on its own (Other).
    private static readonly HashSet<string> _china = new(StringComparer.Ordinal) { "CN", "HK", "MO" };

    public static string Of(string? country) => country switch
    {
        null or "" or UnknownCountry => Unknown,
        "US" => Us,
        _ when _china.Contains(country) => China,
        _ when _europe.Contains(country) => Europe,
        _ => Other,
    };

    /// <summary>The countries of a region, for SQL filters; Other is everything not named elsewhere.</summary>
    public static IReadOnlyCollection<string> CountriesOf(string region) => region switch
    {
        China => _china,
        Us => ["US"],
        Europe => _europe,
        Unknown => [UnknownCountry],
        _ => [],
    };

    public static bool TryNormalize(string? value, out string region)
    {
        foreach (var candidate in All.Append(Community))
        {
            if (string.Equals(candidate, value, StringComparison.OrdinalIgnoreCase))
            {
                region = candidate;
                return true;
            }
        }

        region = "";
        return false;
    }
}
