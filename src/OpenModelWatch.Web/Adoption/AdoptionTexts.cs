using System.Text.RegularExpressions;
using Microsoft.Extensions.Localization;
using OpenModelWatch.Web.Reading;

namespace OpenModelWatch.Web.Adoption;

/// <summary>
/// The adoption pages' words in the reader's language: size classes, age bands and why a model has no ratio. The API
/// and the exports keep <see cref="SizeClasses"/>' and <see cref="AgeBands"/>' English labels and
/// <see cref="AdoptionMath.Ratio"/>'s English notes; a page shows these instead.
/// </summary>
public static partial class AdoptionTexts
{
    public static string Size(IStringLocalizer t, string key) =>
        SizeClasses.All.Any(band => band.Key == key) ? t["Adoption.Size." + key] : t["Adoption.Size.UnknownSize"];

    public static string Age(IStringLocalizer t, string key) =>
        AgeBands.All.Any(band => band.Key == key) ? t["Adoption.Age." + key] : t["Adoption.Age.UnknownAge"];

    /// <summary>A note of <see cref="AdoptionMath.Ratio"/> in the reader's language; a note this does not know, as it is.</summary>
    public static string? Note(IStringLocalizer t, string? note) => note switch
    {
        null => null,
        "size unknown" => t["Adoption.Note.SizeUnknown"],
        "released after the run" => t["Adoption.Note.ReleasedAfterRun"],
        "release date unknown" => t["Adoption.Note.ReleaseUnknown"],
        "peer median is 0" => t["Adoption.Note.MedianZero"],
        _ when FewPeers().Match(note) is { Success: true } match =>
            t["Adoption.Note.FewPeers", Format.Exact(long.Parse(match.Groups[1].ValueSpan)), Format.Exact(long.Parse(match.Groups[2].ValueSpan))],
        _ => note,
    };

    [GeneratedRegex(@"^peer group of (\d+), fewer than (\d+) models$")]
    private static partial Regex FewPeers();
}
