using OpenModelWatch.Web.Components.Shared;
using OpenModelWatch.Web.Registry;

namespace OpenModelWatch.Tests.Accessibility;

/// <summary>
/// The region colours stay apart for colour-blind readers: each pair of the four regions' colours, seen through a
/// simulation of protanopia, deuteranopia and tritanopia (Machado, Oliveira and Fernandes 2009, "A Physiologically-based
/// Model for Simulation of Color Vision Deficiency", IEEE TVCG 15(6), severity 1.0, applied in linear sRGB), is at least
/// <see cref="MinDistance"/> apart in CIELAB (ΔE*ab, D65). The palette this replaced (red #e53935, blue #1e88e5, orange
/// #fb8c00, green #43a047) fails it: its red and green are 14.8 apart for a deuteranope.
/// </summary>
public sealed class PaletteTests
{
    private const double MinDistance = 15;

    private static readonly string[] RegionsCharted = [Regions.China, Regions.Us, Regions.Europe, Regions.Other];

    public static TheoryData<string> Visions() => ["normal", "protanopia", "deuteranopia", "tritanopia"];

    [Theory]
    [MemberData(nameof(Visions))]
    public void EveryPairOfRegionColoursStaysApart(string vision)
    {
        var colours = RegionsCharted.Select(region => (region, lab: Lab(Simulate(RegionColors.Of(region), vision)))).ToArray();
        var closest = colours.SelectMany((a, i) => colours.Skip(i + 1).Select(b => (a.region, b: b.region, distance: Distance(a.lab, b.lab))))
            .MinBy(pair => pair.distance);
        Assert.True(closest.distance >= MinDistance, $"{vision}: {closest.region} and {closest.b} are only {closest.distance:F1} apart");
    }

    [Fact]
    public void TheSimulationSeparatesWhatItShould()
    {
        // The check can fail: the replaced palette's red and green, and a colour against itself.
        Assert.Equal(14.8, Distance(Lab(Simulate("#e53935", "deuteranopia")), Lab(Simulate("#43a047", "deuteranopia"))), 1);
        Assert.Equal(0, Distance(Lab(Simulate("#0072b2", "tritanopia")), Lab(Simulate("#0072b2", "tritanopia"))), 6);
        // White stays white for every vision (each matrix's rows sum to 1).
        Assert.Equal(100, Lab(Simulate("#ffffff", "deuteranopia"))[0], 1);
    }

    private static readonly Dictionary<string, double[,]> _matrices = new()
    {
        ["normal"] = new double[,] { { 1, 0, 0 }, { 0, 1, 0 }, { 0, 0, 1 } },
        ["protanopia"] = new[,] { { 0.152286, 1.052583, -0.204868 }, { 0.114503, 0.786281, 0.099216 }, { -0.003882, -0.048116, 1.051998 } },
        ["deuteranopia"] = new[,] { { 0.367322, 0.860646, -0.227968 }, { 0.280085, 0.672501, 0.047413 }, { -0.011820, 0.042940, 0.968881 } },
        ["tritanopia"] = new[,] { { 1.255528, -0.076749, -0.178779 }, { -0.078411, 0.930809, 0.147602 }, { 0.004733, 0.691367, 0.303900 } },
    };

    /// <summary>A colour as a reader with that vision sees it, in linear sRGB.</summary>
    private static double[] Simulate(string hex, string vision)
    {
        var rgb = Enumerable.Range(0, 3).Select(i => Linear(Convert.ToInt32(hex.Substring(1 + (2 * i), 2), 16) / 255.0)).ToArray();
        var m = _matrices[vision];
        return Enumerable.Range(0, 3).Select(row => Math.Clamp((m[row, 0] * rgb[0]) + (m[row, 1] * rgb[1]) + (m[row, 2] * rgb[2]), 0, 1)).ToArray();
    }

    private static double Linear(double c) => c <= 0.04045 ? c / 12.92 : Math.Pow((c + 0.055) / 1.055, 2.4);

    /// <summary>Linear sRGB to CIELAB (D65 white).</summary>
    private static double[] Lab(double[] rgb)
    {
        var x = ((0.4124 * rgb[0]) + (0.3576 * rgb[1]) + (0.1805 * rgb[2])) / 0.95047;
        var y = (0.2126 * rgb[0]) + (0.7152 * rgb[1]) + (0.0722 * rgb[2]);
        var z = ((0.0193 * rgb[0]) + (0.1192 * rgb[1]) + (0.9505 * rgb[2])) / 1.08883;
        static double F(double t) => t > 0.008856 ? Math.Cbrt(t) : (7.787 * t) + (16.0 / 116);
        return [(116 * F(y)) - 16, 500 * (F(x) - F(y)), 200 * (F(y) - F(z))];
    }

    private static double Distance(double[] a, double[] b) => Math.Sqrt(a.Zip(b, (p, q) => (p - q) * (p - q)).Sum());
}
