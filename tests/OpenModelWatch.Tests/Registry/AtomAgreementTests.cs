using System.Text.Json;
using OpenModelWatch.Tests.TestSupport;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.Registry;

/// <summary>
/// The registry checked against an independent, reviewed reference: ATOM Project's organisation regions
/// (<c>seeds/atom/organization_regions.csv</c>, Interconnects-AI/tracked-models, Apache-2.0). Every difference must be
/// a decision written down in <c>seeds/atom/disagreements.json</c>, and every decision there must still be a difference.
/// </summary>
public class AtomAgreementTests
{
    private static readonly LabRegistry _registry = LabRegistry.Load(Repo.Path("seeds", "labs.json"));
    private static readonly IReadOnlyList<AtomRow> _atom = ReadAtom(Repo.Path("seeds", "atom", "organization_regions.csv"));
    private static readonly IReadOnlyList<Disagreement> _documented = ReadDisagreements(Repo.Path("seeds", "atom", "disagreements.json"));

    [Fact]
    public void EveryNamespaceBothListsContainLandsInTheSameRegionOrIsADocumentedDisagreement()
    {
        var actual = _atom
            .Select(row => (row, lab: _registry.ForNamespace(row.Namespace)))
            .Where(pair => pair.lab is not null && OurRegionOf(pair.row.Region) != pair.lab.Region)
            .Select(pair => $"{pair.row.Namespace}: ATOM {pair.row.Region}, registry {pair.lab!.Country}")
            .Order(StringComparer.Ordinal);
        var documented = _documented
            .Where(entry => entry.OurCountry is not null)
            .Select(entry => $"{entry.Namespace}: ATOM {entry.AtomRegion}, registry {entry.OurCountry}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(documented, actual);
    }

    [Fact]
    public void EveryNamespaceAtomPlacesInARegionIsRegisteredOrADocumentedException()
    {
        var unregistered = _atom
            .Where(row => row.Region != "unknown" && _registry.ForNamespace(row.Namespace) is null)
            .Select(row => $"{row.Namespace}: ATOM {row.Region}")
            .Order(StringComparer.Ordinal);
        var documented = _documented
            .Where(entry => entry.OurCountry is null)
            .Select(entry => $"{entry.Namespace}: ATOM {entry.AtomRegion}")
            .Order(StringComparer.Ordinal);

        Assert.Equal(documented, unregistered);
    }

    [Fact]
    public void TheComparisonCountsAreTheOnesTheMethodologyReports()
    {
        var shared = _atom.Where(row => _registry.ForNamespace(row.Namespace) is not null).ToList();
        var agreeing = shared.Count(row => OurRegionOf(row.Region) == _registry.ForNamespace(row.Namespace)!.Region);

        Assert.Equal(118, _atom.Count);
        Assert.Equal(115, shared.Count);
        Assert.Equal(111, agreeing);
        Assert.Equal(4, _documented.Count(entry => entry.OurCountry is not null));
        Assert.Equal(2, _documented.Count(entry => entry.OurCountry is null));
    }

    [Fact]
    public void AtomsUnknownRowsAreNotRegisteredUnlessADocumentedDecisionPlacesThem()
    {
        var placed = _atom
            .Where(row => row.Region == "unknown" && _registry.ForNamespace(row.Namespace) is not null)
            .Select(row => row.Namespace)
            .Order(StringComparer.Ordinal);

        Assert.Equal(["EleutherAI", "bigcode"], placed);
        Assert.Null(_registry.ForNamespace("allura-forge"));
    }

    [Fact]
    public void EveryDocumentedDisagreementNamesAnAtomRowWithItsRegionAReasonAndASource()
    {
        Assert.All(_documented, entry =>
        {
            var row = Assert.Single(_atom, row => string.Equals(row.Namespace, entry.Namespace, StringComparison.OrdinalIgnoreCase));
            Assert.Equal(row.Region, entry.AtomRegion);
            Assert.False(string.IsNullOrWhiteSpace(entry.Reason), entry.Namespace);
            Assert.False(string.IsNullOrWhiteSpace(entry.Source), entry.Namespace);
        });
        Assert.Equal(_documented.Count, _documented.Select(entry => entry.Namespace).Distinct(StringComparer.OrdinalIgnoreCase).Count());
    }

    [Fact]
    public void AtomsBucketsMapToOurRegions()
    {
        Assert.Equal(Regions.Us, _registry.ForNamespace("meta-llama")!.Region);
        Assert.Equal([Regions.Us, Regions.China, Regions.Europe, Regions.Other], new[] { "us", "china", "eu", "other" }.Select(OurRegionOf));
        Assert.Equal(["china", "eu", "other", "unknown", "us"], _atom.Select(row => row.Region).Distinct().Order(StringComparer.Ordinal));
    }

    private static string? OurRegionOf(string atomRegion) => atomRegion switch
    {
        "us" => Regions.Us,
        "china" => Regions.China,
        "eu" => Regions.Europe,
        "other" => Regions.Other,
        _ => null,
    };

    private sealed record AtomRow(string Namespace, string Region);

    private sealed record Disagreement(string Namespace, string AtomRegion, string? OurCountry, string Reason, string Source);

    private sealed record DisagreementsFile(IReadOnlyList<Disagreement> Disagreements);

    /// <summary><c>hf_org,region,notes</c>: notes is the last column and may hold commas, so split at the first two.</summary>
    private static List<AtomRow> ReadAtom(string path)
    {
        var lines = File.ReadAllLines(path);
        Assert.Equal("hf_org,region,notes", lines[0]);
        return lines.Skip(1).Where(line => line.Length > 0).Select(line =>
        {
            var columns = line.Split(',', 3);
            return new AtomRow(columns[0], columns[1]);
        }).ToList();
    }

    private static IReadOnlyList<Disagreement> ReadDisagreements(string path) =>
        JsonSerializer.Deserialize<DisagreementsFile>(File.ReadAllBytes(path), new JsonSerializerOptions(JsonSerializerDefaults.Web))!.Disagreements;
}
