namespace OpenModelWatch.Web.Reading;

/// <summary>What every chart reads from its address besides its own parameters: the view, the runs it spans, the run it is pinned to.</summary>
/// <param name="Parameters">The list parameters, read by the API's own parser (attribution, scope, filters, sort).</param>
/// <param name="From">First day (UTC) of the runs shown, inclusive.</param>
/// <param name="To">Last day (UTC) of the runs shown, inclusive.</param>
public sealed record ChartParameters(ListParameters Parameters, string Metric, DateOnly? From, DateOnly? To)
{
    public CountingView View => CountingView.Of(Parameters);

    /// <summary>The run the chart is as of (<c>run=</c>); null for the latest.</summary>
    public int? Run => Parameters.Run;

    /// <summary>Reads a chart's parameters; throws <see cref="ParameterException"/> naming the one at fault.</summary>
    public static ChartParameters Parse(IQueryCollection query, IReadOnlyList<string> metrics, IReadOnlyList<string>? sortFields = null)
    {
        var parameters = ListParametersParser.Parse(query, sortFields ?? ["none"], sortFields?[0] ?? "none");
        var metric = ListParametersParser.Single(query, "metric") ?? metrics[0];
        if (!metrics.Contains(metric))
        {
            throw new ParameterException("metric", $"\"{(metric.Length > 40 ? metric[..40] + "…" : metric)}\" is not a metric of this chart (one of {string.Join(", ", metrics)}).");
        }

        var (from, to) = ListParametersParser.Days(query);
        return new ChartParameters(parameters, metric, from, to);
    }
}
