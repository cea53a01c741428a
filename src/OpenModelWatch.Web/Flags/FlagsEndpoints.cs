using System.Globalization;
using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Api;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Flags;

/// <summary>An item of <c>GET /api/v1/flags</c>: a model whose 30-day downloads spiked at a run without a matching rise in likes.</summary>
/// <param name="Baseline">The model's usual level: the median of its 30-day downloads at the window's other runs.</param>
/// <param name="OtherRuns">How many other runs that median is over.</param>
/// <param name="Jump">downloads30d ÷ baseline.</param>
/// <param name="PeerJump">The median jump of its peers at the same run.</param>
/// <param name="NewLikes">Likes gained since the run before.</param>
/// <param name="UsualNewLikes">The median of its likes gained per run at the other runs (at least 1).</param>
/// <param name="LikesPace">newLikes ÷ usualNewLikes.</param>
/// <param name="Excess">downloads30d − baseline: the downloads above its usual level.</param>
/// <param name="Reason">The rule's reason in words, with the figures.</param>
public sealed record FlagItem(int RunId, DateTime At, string Source, string Id, long Downloads30d, double Baseline, int OtherRuns, double Jump,
    double PeerJump, long NewLikes, double UsualNewLikes, double LikesPace, long Excess, string Reason);

/// <summary>
/// Inflated-count flags end to end: the rule (<see cref="SpikeRule"/>), its query over the as-of run's source, the API
/// route and its page (<c>FlagsPage.razor</c>). The flags are listed beside the raw figures; nothing is adjusted here.
/// </summary>
public static class FlagsEndpoints
{
    /// <summary>The most runs of the as-of run's source the rule looks at.</summary>
    public const int WindowRuns = 24;

    public static IHostApplicationBuilder AddFlags(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<FlagsQuery>();
        builder.Services.AddAdjustedShares();
        builder.Services.AddFieldDocs<FlagItem>(
            "A model whose 30-day downloads jumped far beyond its own usual level and its peers' at a run, without a matching rise in likes.",
            ("runId", "The run the spike is at."),
            ("at", "That run's as-of time."),
            ("source", "The source of the window's runs (the as-of run's): a spike is judged within one source."));
        return builder;
    }

    public static IEndpointRouteBuilder MapFlags(this IEndpointRouteBuilder app)
    {
        app.MapApiGroup().MapGet("/flags", async (HttpContext context, FlagsQuery flags, IDbContextFactory<OpenModelWatchDb> dbFactory, CancellationToken ct) =>
            {
                try
                {
                    var parameters = ListParametersParser.Parse(context.Request.Query, ["at"], "at");
                    var csv = ApiLists.IsCsv(context.Request.Query);
                    var asOf = await PinnedRun.ResolveAsync(dbFactory, parameters.Run, ct);
                    var items = asOf is null ? [] : await flags.ItemsAsync(asOf, ct);
                    return await ApiLists.AnswerAsync(context, ApiLists.Page(asOf, parameters, items, item => item.RunId), parameters, csv);
                }
                catch (ParameterException exception)
                {
                    return exception.ToProblem();
                }
            })
            .Documented<FlagItem>("Flags", $"Inflated-count flags: spikes of 30-day downloads over the last {WindowRuns} runs of the as-of run's source, newest run first (order=asc for oldest first)")
            .WithQueryParameters(QueryParameters.Paging, [QueryParameters.Format, QueryParameters.Run]);
        app.MapAdjustedShares();
        return app;
    }
}

/// <summary>The spikes of the window: the last <see cref="FlagsEndpoints.WindowRuns"/> runs of the as-of run's source, up to it.</summary>
public sealed class FlagsQuery(IDbContextFactory<OpenModelWatchDb> dbFactory, RunHistory runHistory)
{
    public async Task<IReadOnlyList<FlagItem>> ItemsAsync(AsOfRun asOf, CancellationToken cancellationToken)
    {
        var runs = (await runHistory.RunsAsync(asOf, cancellationToken)).Where(run => run.Source == asOf.Source).TakeLast(FlagsEndpoints.WindowRuns).ToArray();
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        // Only models that reach the rule's floor at some run can be flagged or be a peer: each run's rows at or above
        // it first, then, for those models, their rows below it. Every row the rule needs is read once.
        var points = new Dictionary<int, (string HubId, CountPoint?[] Series)>();
        void Add(int run, int modelId, string hubId, long downloads30d, long? likes)
        {
            if (!points.TryGetValue(modelId, out var model))
            {
                model = (hubId, new CountPoint?[runs.Length]);
                points[modelId] = model;
            }

            model.Series[run] = new CountPoint(downloads30d, likes);
        }

        for (var i = 0; i < runs.Length; i++)
        {
            foreach (var row in await SnapshotRows.Of(db, runs[i].Id, new ListParameters()).Where(r => r.Downloads30d >= SpikeRule.MinDownloads)
                .Select(r => new { r.ModelId, r.HubId, r.Downloads30d, r.Likes }).ToListAsync(cancellationToken))
            {
                Add(i, row.ModelId, row.HubId, row.Downloads30d, row.Likes);
            }
        }

        var ids = points.Keys.ToList();
        for (var i = 0; i < runs.Length; i++)
        {
            foreach (var row in await SnapshotRows.Of(db, runs[i].Id, new ListParameters()).Where(r => r.Downloads30d < SpikeRule.MinDownloads && ids.Contains(r.ModelId))
                .Select(r => new { r.ModelId, r.HubId, r.Downloads30d, r.Likes }).ToListAsync(cancellationToken))
            {
                Add(i, row.ModelId, row.HubId, row.Downloads30d, row.Likes);
            }
        }

        var spikes = SpikeRule.Evaluate([.. points.Values.Select(model => new ModelSeries(model.HubId, model.Series))], runs.Length);
        return [.. spikes.Select(spike =>
        {
            var run = runs[spike.Run];
            return new FlagItem(run.Id, run.At, run.Source.Key(), spike.Id, spike.Downloads30d, spike.Baseline, spike.OtherRuns, spike.Jump, spike.PeerJump,
                spike.NewLikes, spike.UsualNewLikes, spike.LikesPace, spike.Excess, Reason(spike));
        })];
    }

    public static string Reason(Spike spike) => string.Create(CultureInfo.InvariantCulture,
        $"30-day downloads {Format.Exact(spike.Downloads30d)}: {Jump(spike)} at its {spike.OtherRuns} other runs, "
        + $"where the median model moved {spike.PeerJump:0.00}×; it gained {Format.Exact(spike.NewLikes)} likes since the run before, {spike.LikesPace:0.0}× its usual {spike.UsualNewLikes:0.#} a run.");

    /// <summary>
    /// The jump in words: "18.8× its median of 1,586,958"; from 1,000× on without decimals; from a usual level of 0
    /// (the jump is then divided by 1 and means nothing) it says so instead of a figure no one reads.
    /// </summary>
    public static string Jump(Spike spike) => spike.Baseline < 1
        ? "up from a usual level of 0"
        : string.Create(CultureInfo.InvariantCulture, $"{JumpFigure(spike.Jump, CultureInfo.InvariantCulture)}× its median of {Format.Exact((long)Math.Round(spike.Baseline))}");

    /// <summary>A jump as a figure: one decimal, none from 1,000× on; the API's reason and the page's share it.</summary>
    public static string JumpFigure(double jump, IFormatProvider culture) => jump.ToString(jump < 1000 ? "0.0" : "#,0", culture);
}
