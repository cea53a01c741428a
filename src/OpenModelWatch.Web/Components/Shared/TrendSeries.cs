namespace OpenModelWatch.Web.Components.Shared;

/// <summary>One line of a <c>TrendChart</c>: a value per run.</summary>
public sealed record TrendSeries(string Name, IReadOnlyList<double> Values, string? Color = null);
