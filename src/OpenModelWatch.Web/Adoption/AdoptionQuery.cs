using Microsoft.EntityFrameworkCore;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Adoption;

/// <summary>An item of <c>GET /api/v1/adoption</c>: a registered lab's model with its size, its age and how it compares with its peers.</summary>
/// <param name="ParametersSource">atom (ATOM's reviewed total) or hub (the Hub's safetensors total); null when unknown.</param>
/// <param name="Released">The release day: ATOM's corrected date, else the Hub's createdAt.</param>
/// <param name="ReleasedSource">atom or hub; null when unknown.</param>
/// <param name="AgeDays">Whole days from the release to the run's as-of time.</param>
/// <param name="Downloads30dEquivalent">30-day downloads scaled to a whole window for a model younger than 30 days: downloads30d × 30 / (ageDays + 1); the count itself from 29 days on.</param>
/// <param name="Peers">Models in its peer group (same size class and age band), itself included.</param>
/// <param name="PeerMedian">The peer group's median 30-day-equivalent downloads.</param>
/// <param name="Ratio">30-day-equivalent downloads ÷ the peer median; null when not given (see note).</param>
/// <param name="Note">Why there is no ratio; null when there is one.</param>
public sealed record AdoptionItem(
    string Id,
    string Namespace,
    string? Lab,
    string? LabName,
    string Country,
    string Region,
    string? Task,
    long? Parameters,
    string? ParametersSource,
    string SizeClass,
    DateTime? Released,
    string? ReleasedSource,
    int? AgeDays,
    string AgeBand,
    long Downloads30d,
    double? Downloads30dEquivalent,
    int Peers,
    double? PeerMedian,
    double? Ratio,
    string? Note,
    bool InCensus);

/// <summary>The adoption view of one run: the listed models (filtered, sorted) and every peer group of the run.</summary>
public sealed record AdoptionView(AsOfRun AsOf, IReadOnlyList<AdoptionItem> Items, IReadOnlyList<PeerGroupItem> Groups);

/// <summary>The list's own filters, besides the common ones: one size class, one age band.</summary>
public sealed record AdoptionFilter(string? SizeClass, string? AgeBand)
{
    public static AdoptionFilter None { get; } = new(null, null);

    /// <summary>Reads <c>sizeClass</c> and <c>ageBand</c>; a value outside the bands is a <see cref="ParameterException"/> naming it.</summary>
    public static AdoptionFilter Parse(IQueryCollection query) => new(
        Key(query, "sizeClass", SizeClasses.Keys), Key(query, "ageBand", AgeBands.Keys));

    private static string? Key(IQueryCollection query, string name, IReadOnlyList<string> keys) => ListParametersParser.Single(query, name) switch
    {
        null => null,
        var value when keys.Contains(value) => value,
        var value => throw new ParameterException(name, $"\"{(value.Length > 40 ? value[..40] + "…" : value)}\" is not one of {string.Join(", ", keys)}."),
    };
}

/// <summary>
/// Size- and age-fair adoption. The population is every model a registered lab uploaded that the run listed (the one
/// population the Hub lists completely: every model of a registered namespace is read, whatever its downloads); each
/// model's size class (ATOM's reviewed total, else the Hub's safetensors total) and age band (ATOM's release date, else
/// createdAt) place it in a peer group; its ratio is its 30-day downloads over the group's median. The attribution
/// decides the lab, country and region each item names (and so what a region or lab filter keeps); the scope and the
/// filters decide which models are listed. Neither changes the peer groups.
/// </summary>
public sealed class AdoptionQuery(IDbContextFactory<OpenModelWatchDb> dbFactory, AtomMetadata atom)
{
    public const string Ratio = "ratio";

    public static readonly IReadOnlyList<string> SortFields = [Ratio, "downloads30d", "parameters", "ageDays"];

    public async Task<ListPage<AdoptionItem>> ListAsync(ListParameters parameters, AdoptionFilter filter, CancellationToken cancellationToken)
    {
        if (await ViewAsync(parameters, filter, cancellationToken) is not { } view)
        {
            return ListPage<AdoptionItem>.Empty;
        }

        return new ListPage<AdoptionItem>(view.AsOf.At, view.AsOf.Id, view.Items.Count,
            Sort(view.Items, parameters.Sort, parameters.Ascending).Skip(parameters.Offset).Take(parameters.Limit).ToArray());
    }

    public async Task<ListPage<PeerGroupItem>> GroupsAsync(ListParameters parameters, CancellationToken cancellationToken)
    {
        if (await ViewAsync(parameters with { Region = null, Countries = [], Lab = null }, AdoptionFilter.None, cancellationToken) is not { } view)
        {
            return ListPage<PeerGroupItem>.Empty;
        }

        return new ListPage<PeerGroupItem>(view.AsOf.At, view.AsOf.Id, view.Groups.Count, view.Groups.Skip(parameters.Offset).Take(parameters.Limit).ToArray());
    }

    /// <summary>One model's item in the as-of run; null when it is not a listed model of a registered lab.</summary>
    public async Task<(AsOfRun AsOf, AdoptionItem Item)?> ModelAsync(string hubId, CancellationToken cancellationToken)
    {
        var view = await ViewAsync(new ListParameters(), AdoptionFilter.None, cancellationToken, hubId);
        return view?.Items.FirstOrDefault() is { } item ? (view.AsOf, item) : null;
    }

    /// <summary>The whole view of the run the parameters pin (unsorted items); null before any run.</summary>
    public async Task<AdoptionView?> ViewAsync(ListParameters parameters, AdoptionFilter filter, CancellationToken cancellationToken, string? onlyModel = null)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        if (await PinnedRun.ResolveAsync(db, parameters.Run, cancellationToken) is not { } asOf)
        {
            return null;
        }

        var groups = await GroupsOfAsync(asOf, cancellationToken);

        // The listed models: the view's rows (its attribution, scope and filters) that belong to the population (a
        // registered lab's upload; the view's run listed it), each placed as the population's own row was.
        var rows = SnapshotRows.Of(db, asOf.Id, parameters);
        if (onlyModel is not null)
        {
            // One model: its own row's uploader, looked up by id (an IN over every registered upload made SQLite list
            // all of them first: 2 s at 3 million models).
            rows = rows.Where(r => r.HubId == onlyModel && db.Models.Any(m => m.Id == r.ModelId && m.LabId != null));
        }
        else
        {
            var registered = db.Models.Where(m => m.LabId != null).Select(m => m.Id);
            rows = rows.Where(r => registered.Contains(r.ModelId));
        }

        var items = new List<AdoptionItem>();
        foreach (var row in await rows.ToListAsync(cancellationToken))
        {
            var place = Place(row.HubId, row.Parameters, row.CreatedAt, asOf);
            if ((filter.SizeClass is { } sizeClass && place.SizeClass != sizeClass)
                || (filter.AgeBand is { } ageBand && place.AgeBand != ageBand))
            {
                continue;
            }

            var group = groups.GetValueOrDefault((place.SizeClass, place.AgeBand));
            var (ratio, note) = AdoptionMath.Ratio(place.SizeClass, place.AgeDays, row.Downloads30d, group);
            items.Add(new AdoptionItem(row.HubId, row.Namespace, row.LabId, row.LabName, row.Country ?? Regions.UnknownCountry,
                row.Attribution.RegionOf(row.Country), row.Task, place.Facts.Parameters, place.Facts.ParametersSource, place.SizeClass,
                place.Facts.Released, place.Facts.ReleasedSource, place.AgeDays, place.AgeBand, row.Downloads30d,
                place.AgeDays is >= 0 and var age ? AdoptionMath.Equivalent(row.Downloads30d, age) : null, group?.Models ?? 0,
                group?.Median30dEquivalent, ratio, note, row.InCensus));
        }

        var ordered = groups.Values
            .OrderBy(group => SizeClasses.Keys.ToList().IndexOf(group.SizeClass)).ThenBy(group => AgeBands.Keys.ToList().IndexOf(group.AgeBand))
            .ToArray();
        return new AdoptionView(asOf, items, ordered);
    }

    /// <summary>A model's size class and age band from its facts (ATOM's, else the Hub's) at the run's time.</summary>
    private (ModelFacts Facts, string SizeClass, int? AgeDays, string AgeBand) Place(string hubId, long? parameters, DateTime? createdAt, AsOfRun asOf)
    {
        var facts = atom.Facts(hubId, parameters, createdAt);
        var ageDays = AgeBands.AgeDays(facts.Released, asOf.At);
        return (facts, SizeClasses.Of(facts.Parameters), ageDays, AgeBands.Of(ageDays));
    }

    /// <summary>
    /// The run's peer groups, computed once per run and kept (a succeeded run's rows and ATOM's facts do not change while
    /// the process runs): their population is every registered lab's upload the run listed, whatever the view, so a model's
    /// page read all of them for its one item (1.4 million rows, about 6 s, on a whole-Hub store of 3 million models).
    /// </summary>
    private Task<IReadOnlyDictionary<(string SizeClass, string AgeBand), PeerGroupItem>> GroupsOfAsync(AsOfRun asOf, CancellationToken cancellationToken) =>
        _groups.GetOrAdd(asOf.Id, id => new Lazy<Task<IReadOnlyDictionary<(string SizeClass, string AgeBand), PeerGroupItem>>>(async () =>
        {
            try
            {
                await using var db = await dbFactory.CreateDbContextAsync(CancellationToken.None);
                var population = await SnapshotRows.Of(db, asOf.Id, new ListParameters())
                    .Where(r => r.LabId != null)
                    .Select(r => new { r.HubId, r.Parameters, r.CreatedAt, r.Downloads30d })
                    .ToListAsync(CancellationToken.None);
                return AdoptionMath.Groups(population.Select(r =>
                {
                    var place = Place(r.HubId, r.Parameters, r.CreatedAt, asOf);
                    return (place.SizeClass, place.AgeDays, r.Downloads30d);
                }));
            }
            catch
            {
                _groups.TryRemove(id, out _);
                throw;
            }
        })).Value.WaitAsync(cancellationToken);

    private readonly System.Collections.Concurrent.ConcurrentDictionary<int, Lazy<Task<IReadOnlyDictionary<(string SizeClass, string AgeBand), PeerGroupItem>>>> _groups = new();

    /// <summary>Sorted by the field, ties by id; a model without the value (no ratio, unknown size or age) comes last either way.</summary>
    public static IEnumerable<AdoptionItem> Sort(IEnumerable<AdoptionItem> items, string? sort, bool ascending)
    {
        Func<AdoptionItem, double?> key = sort switch
        {
            "downloads30d" => item => item.Downloads30d,
            "parameters" => item => item.Parameters,
            "ageDays" => item => item.AgeDays,
            _ => item => item.Ratio,
        };
        var known = items.Where(item => key(item) is not null);
        var sorted = ascending ? known.OrderBy(key) : known.OrderByDescending(key);
        return sorted.ThenBy(item => item.Id, StringComparer.Ordinal)
            .Concat(items.Where(item => key(item) is null).OrderBy(item => item.Id, StringComparer.Ordinal));
    }
}
