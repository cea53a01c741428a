using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using OpenModelWatch.Web.Localization;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Files;

/// <summary>
/// The words of the files (charts, embeds, table metadata, problems) in the language of the request: the same
/// <c>Texts</c> resource as <c>IStringLocalizer&lt;Texts&gt;</c>, read here because most of the code that writes a file
/// is static (records, the renderer) and a file's language is the request's culture, which its address alone sets.
/// </summary>
public static class FileTexts
{
    private static readonly IStringLocalizer _texts = new ResourceManagerStringLocalizerFactory(
        Options.Create(new LocalizationOptions()), NullLoggerFactory.Instance).Create(typeof(Texts));

    /// <summary>The text of a key in the current UI culture (English when not translated).</summary>
    public static string Get(string key) => _texts[key];

    /// <summary>The text of a key with its placeholders filled in, numbers in the current culture.</summary>
    public static string Get(string key, params object[] arguments) => _texts[key, arguments];

    /// <summary>Whether the request asks for a language other than English (a file in English stays as it always was).</summary>
    public static bool Translated => Languages.Current != Languages.Default;

    /// <summary>
    /// A feature's English text (a definition other code also shows) in the file's language: the key's translation when
    /// the file is not English, the English text itself when it is, so English files stay as they always were.
    /// </summary>
    public static string Translate(string key, string english) => Translated ? Get(key) : english;

    /// <summary>A region's name as a chart writes it (<c>Chart.Region.*</c>): Europe, Europa; the name itself when unknown.</summary>
    public static string Region(string region)
    {
        var text = _texts["Chart.Region." + region];
        return text.ResourceNotFound ? region : text.Value;
    }

    /// <summary>A metric's name in lower case, inside a sentence: "30-day downloads", "descargas en 30 días".</summary>
    public static string MetricInSentence(string metric) => Metrics.Label(metric).ToLower(System.Globalization.CultureInfo.CurrentCulture);

    /// <summary>What a run of a source covers, in one sentence, in the file's language.</summary>
    public static string Coverage(RunSource source) => Translated ? Get("Source.Coverage." + source) : source.Coverage();

    /// <summary>The credit a source's licence asks for, in the file's language; null for this install's own runs.</summary>
    public static string? Credit(RunSource source) => source.Credit() is null ? null : Translated ? Get("Source.Credit." + source) : source.Credit();

    /// <summary>The short name a chart writes at a change of source.</summary>
    public static string ShortName(RunSource source) => Translated ? Get("Source.Short." + source) : source.ShortName();
}
