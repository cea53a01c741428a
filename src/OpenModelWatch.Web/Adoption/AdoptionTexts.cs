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
    // The API's notes, written once: PeerGroups gives them, and a page matches them to its keys below.
    public const string SizeUnknown = "size unknown";
    public const string ReleasedAfterRun = "released after the run";
    public const string ReleaseUnknown = "release date unknown";
    public const string MedianZero = "peer median is 0";

    /// <summary>The API's note for a peer group under the minimum; <see cref="FewPeers"/> reads it back.</summary>
    public static string FewPeersNote(int peers, int minPeers) => string.Create(System.Globalization.CultureInfo.InvariantCulture, $"peer group of {peers}, fewer than {minPeers} models");

    public static string Size(IStringLocalizer t, string key) =>
        SizeClasses.All.Any(band => band.Key == key) ? t["Adoption.Size." + key] : t["Adoption.Size.UnknownSize"];

    public static string Age(IStringLocalizer t, string key) =>
        AgeBands.All.Any(band => band.Key == key) ? t["Adoption.Age." + key] : t["Adoption.Age.UnknownAge"];

    /// <summary>A note of <see cref="AdoptionMath.Ratio"/> in the reader's language; a note this does not know, as it is.</summary>
    public static string? Note(IStringLocalizer t, string? note) => note switch
    {
        null => null,
        SizeUnknown => t["Adoption.Note.SizeUnknown"],
        ReleasedAfterRun => t["Adoption.Note.ReleasedAfterRun"],
        ReleaseUnknown => t["Adoption.Note.ReleaseUnknown"],
        MedianZero => t["Adoption.Note.MedianZero"],
        _ when FewPeers().Match(note) is { Success: true } match =>
            t["Adoption.Note.FewPeers", Format.Exact(long.Parse(match.Groups[1].ValueSpan)), Format.Exact(long.Parse(match.Groups[2].ValueSpan))],
        _ => note,
    };

    [GeneratedRegex(@"^peer group of (\d+), fewer than (\d+) models$")]
    private static partial Regex FewPeers();
}
