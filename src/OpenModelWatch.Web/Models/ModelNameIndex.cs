using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenModelWatch.Web.Reading;
using OpenModelWatch.Web.Registry;
using OpenModelWatch.Web.Store;

namespace OpenModelWatch.Web.Models;

/// <summary>
/// The latest run's listed models' ids in memory, in the grid's default order (30-day downloads, then the store's id,
/// both descending), for text search and a model's rank. A search that is the view's only filter, in the default order,
/// is counted and paged by scanning the ids' text (<see cref="Find"/>); a search with other filters or in another order
/// gives the store's query its matches (<see cref="Matches"/>) in place of the trigram index's candidates; a listed
/// model's rank is its line (<see cref="PlaceOf"/>). A broad search at 3 million models (<c>q=user0</c>, 124,329
/// matches) listed 129,442 candidates from the trigram index in 0.3 s of CPU and checked each against its model's row:
/// about 1 s for the count and 1 s for the page; from this text, 14–16 ms (docs/performance.md). The text is every
/// listed model's Hub id, ASCII letters lower-cased (as SQLite's <c>LIKE</c> compares them), one line each: about 73 MB
/// at 3 million models, plus an id (4 bytes) and a census bit per model.
/// <para>
/// Built in the background when a run succeeds (with the default views, <see cref="ViewWarmup"/>), or on the first use
/// after one, from one read of the models (a read transaction, so one run's state); until then, and for an earlier
/// run, searches take the trigram index and ranks are counted, as before. The answer is the same either way
/// (<c>GridReferenceTests</c> and <c>ModelRankTests</c> check both). The previous run's text is dropped when a newer
/// run is seen, so at most one run's is held.
/// </para>
/// </summary>
public sealed class ModelNameIndex(IDbContextFactory<OpenModelWatchDb> dbFactory, ILogger<ModelNameIndex> logger, TimeProvider? time = null) : IViewWarmup
{
    private const byte Separator = (byte)'\n';

    /// <summary>How long after a failed build no other is started: doubled after each failure in a row, up to <see cref="LongestBackOff"/>.</summary>
    public static readonly TimeSpan FirstBackOff = TimeSpan.FromMinutes(1);

    public static readonly TimeSpan LongestBackOff = TimeSpan.FromMinutes(30);

    private readonly TimeProvider _time = time ?? TimeProvider.System;
    private int _failures;
    private DateTimeOffset _retryAt = DateTimeOffset.MinValue;

    private readonly Lock _gate = new();
    private Names? _names;
    private Task<Names?>? _building;
    private int _buildingFor;
    private long _answered;

    /// <summary>Built with the default views whenever a newer run succeeds (<see cref="ViewWarmup"/>), ahead of the first search.</summary>
    public Task WarmAsync(AsOfRun asOf, CancellationToken cancellationToken) => BuildAsync(asOf.Id, cancellationToken);

    /// <summary>Before the default views: the overview's, a lab's and the countries' top models are paged here when held.</summary>
    public int Stage => 0;

    /// <summary>How many searches and places this index has answered since the app started.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>What a search found: how many models match, and the ids of the requested page, in the page's order.</summary>
    public sealed record Found(int Total, int[] Ids);

    /// <summary>A search's matches for the store's query: the listed models' ids that contain the text, or (<paramref name="Excluded"/>) that do not; in id order.</summary>
    public sealed record Matched(int[] Ids, bool Excluded);

    /// <summary>
    /// Whether every filter of a view is one this index holds with each line: places (countries, a region, a registered
    /// lab; each model's lab and country under both attributions), a task, a licence, a size range, a creation range, the
    /// scope, and a text of plain ASCII or none. A community namespace (its models have no lab) is not held. Then the
    /// view's count is known in memory whatever the order (<see cref="Find"/>), and a text's matches narrowed to its filters
    /// (<see cref="Matches"/>) are exactly its rows.
    /// </summary>
    public static bool Holds(ListParameters parameters) =>
        (parameters.Q is not { } q || Searchable(q))
        && (parameters.Lab is null || CommunityLab.NamespaceOf(parameters.Lab) is null);

    /// <summary>
    /// Whether a view is one this index answers whole, count and page, whatever the run's totals know: a text search
    /// whose other filters are held (<see cref="Holds"/>; the attribution chooses which lab and country a model is placed
    /// by), in any order, either direction.
    /// </summary>
    public static bool Answers(ListParameters parameters) => parameters.Q is not null && Holds(parameters);

    /// <summary>Whether a text is one this index searches: printable ASCII (as every Hub id is).</summary>
    public static bool Searchable(string q) => q.Length > 0 && q.All(c => c is >= ' ' and <= '~');

    /// <summary>
    /// The ids that contain the view's text (if it has one) and pass its held filters, or those that lack the text, when this
    /// index holds run <paramref name="runId"/> (<see cref="Names.Matching"/>), for a search with other filters or in another
    /// order, or a view of held filters in another order; null otherwise, after starting to build it. When the view's
    /// filters are all held (<see cref="Holds"/>), the ids (not excluded) are exactly its rows, so their number is its count
    /// and the store need test nothing else.
    /// </summary>
    public Matched? Matches(int runId, ListParameters parameters) =>
        Held(runId) is { } names ? names.Matching(parameters.Q, names.LinesOf(parameters)) : null;

    /// <summary>
    /// How many models of run <paramref name="runId"/> (the store's current run) a view whose filters this index holds
    /// (<see cref="Holds"/>) has, with or without a text, and, in the default order, its page's ids (in another order
    /// none: the store pages it); null when this index does not hold that run, after starting to build it. A view of
    /// several filters the store would count by reading one filter's index entries and each one's row (region, task and
    /// size range at 3 million models: 1.7–2.5 s).
    /// </summary>
    public Found? Find(int runId, ListParameters parameters)
    {
        if (Held(runId) is not { } names)
        {
            return null;
        }

        return names.Find(parameters.Q, names.LinesOf(parameters), parameters.Sort, parameters.Ascending, parameters.Offset, parameters.Limit);
    }

    /// <summary>
    /// A listed model's place in the default order of run <paramref name="runId"/> (1 for the most downloaded), when this
    /// index holds that run: a search of the ids, where counting the models ahead of it in the store reads the
    /// <c>(Listed, Downloads30d)</c> index up to its place (up to 80 ms at 3 million models). Null when the index does
    /// not hold the run or the model is not listed in it.
    /// </summary>
    public int? PlaceOf(int runId, int modelId) => Held(runId)?.PlaceOf(modelId);

    /// <summary>The ids of run <paramref name="runId"/>, counted as an answer, when held; null otherwise, after starting to build them.</summary>
    private Names? Held(int runId)
    {
        var names = _names;
        if (names is null || names.RunId != runId)
        {
            _ = BuildAsync(runId);
            return null;
        }

        Interlocked.Increment(ref _answered);
        return names;
    }

    /// <summary>
    /// Builds the index for the store's current run unless it holds it (or a build of <paramref name="runId"/> is under
    /// way, which it waits for). Returns the run id it then holds, null when no run succeeded or the build failed (logged,
    /// and tried again on a search once its back-off has passed: a minute, doubled after each failure in a row up to
    /// half an hour, so that a store that cannot be read is not read whole again on every search).
    /// </summary>
    public async Task<int?> BuildAsync(int runId, CancellationToken cancellationToken = default)
    {
        Task<Names?> building;
        lock (_gate)
        {
            if (_names?.RunId == runId)
            {
                return runId;
            }

            if (_building is null || (_building.IsCompleted && _buildingFor != runId))
            {
                if (_time.GetUtcNow() < _retryAt)
                {
                    return null;
                }

                // A newer run makes the held text useless: dropped now, not when the new one is ready.
                if (_names is { } held && held.RunId < runId)
                {
                    _names = null;
                }

                _buildingFor = runId;
                _building = Task.Run(ReadAsync, CancellationToken.None);
            }

            building = _building;
        }

        var names = await building.WaitAsync(cancellationToken);
        lock (_gate)
        {
            if (ReferenceEquals(_building, building))
            {
                _building = null;
                if (names is not null && (_names is null || _names.RunId <= names.RunId))
                {
                    _names = names;
                }
            }
        }

        return names?.RunId;
    }

    private static string? Text(System.Data.Common.DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetString(column);

    private static long? Number(System.Data.Common.DbDataReader reader, int column) => reader.IsDBNull(column) ? null : reader.GetInt64(column);

    private async Task<Names?> ReadAsync()
    {
        try
        {
            var clock = Stopwatch.StartNew();
            await using var db = await dbFactory.CreateDbContextAsync();
            if (RunCounts.CurrentRunId(db) is not { } runId)
            {
                return null;
            }

            // What a run just left (its garbage, and the ids of the run before, dropped when this build started) given
            // back first, so that the build's columns do not come on top of it (a web host at 3 million models peaked at
            // 1,098 MiB building the ids right after a run; docs/performance.md).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            // The run's listed models, to size the columns once.
            var expected = await db.Runs.Where(run => run.Id == runId).Select(run => run.Models).FirstOrDefaultAsync();
            Names.Builder? rows = new(expected);
            await using (var command = db.Database.GetDbConnection().Command(db.Database.CurrentTransaction?.GetDbTransaction(),
                "SELECT Id, HubId, Downloads30d, InCensus, LabId, Country, OriginLabId, OriginCountry, Task, License, CreatedAt, Parameters, DownloadsAllTime, Likes, TrendingScore FROM Models WHERE Downloads30d IS NOT NULL"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), reader.GetBoolean(3),
                        Text(reader, 4), Text(reader, 5), Text(reader, 6), Text(reader, 7), Text(reader, 8), Text(reader, 9),
                        reader.IsDBNull(10) ? null : reader.GetDateTime(10), Number(reader, 11), Number(reader, 12), Number(reader, 13), Number(reader, 14));
                }
            }

            var read = clock.Elapsed;
            var names = rows.Build(runId);
            rows = null; // an async method's locals live on: let go of the columns before collecting them
            // The columns read (several times the index's size at 3 million models) are garbage now: collected and their
            // memory given back to the system at once, once a run, rather than left resident until the collector needs
            // it (a web host at 3 million models stayed at 850 MiB after the build; docs/performance.md).
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            lock (_gate)
            {
                _failures = 0;
                _retryAt = DateTimeOffset.MinValue;
            }

            logger.LogInformation("Model name index: {Models} models of run {RunId}, {Megabytes:0.0} MB, read in {Read:0.0} s, built in {Seconds:0.0} s",
                names.Count, runId, names.Bytes / 1e6, read.TotalSeconds, clock.Elapsed.TotalSeconds);
            return names;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            TimeSpan backOff;
            int failures;
            lock (_gate)
            {
                failures = ++_failures;
                backOff = TimeSpan.FromTicks(Math.Min(LongestBackOff.Ticks, FirstBackOff.Ticks << Math.Min(failures - 1, 20)));
                _retryAt = _time.GetUtcNow() + backOff;
            }

            logger.LogWarning(exception, "Model name index: build failed ({Failures} in a row); searches use the trigram index; next try in {BackOff}", failures, backOff);
            return null;
        }
    }

    /// <summary>One run's listed models: their ids and their ids' text, line by line, in the default order.</summary>
    internal sealed class Names
    {
        private readonly byte[] _text;
        private readonly int[] _ids;
        private readonly ulong[] _census;

        // Each line's place (its lab and country) under each attribution, as an index into the run's distinct places.
        private readonly ushort[] _uploaderPlaces;
        private readonly ushort[] _originPlaces;
        private readonly (string? Lab, string? Country)[] _places;

        // Each line's task and licence, as an index into the run's distinct values of each.
        private readonly ushort[] _tasks;
        private readonly ushort[] _licenses;
        private readonly string?[] _taskValues;
        private readonly string?[] _licenseValues;

        // Each line's size as its place among the run's distinct sizes, ascending, from 1 (0: unknown); and its creation
        // day (DateOnly.DayNumber; NoDay: unknown). A range filter compares whole days and sizes (SnapshotRows.Filter).
        private readonly int[] _sizes;
        private readonly long[] _sizeValues;
        private readonly int[] _days;

        // Each line's place, from 0, in each order the grid offers besides the default (OrderOf), going up as the store
        // sorts (ModelLeaderboard.Sort): an unknown value lowest, then the value, ties by the store's id. Going down is
        // the same order reversed. The default order is the lines' own.
        private readonly int[][] _ranks;

        /// <summary>The orders held besides the default (<see cref="OrderOf"/>).</summary>
        internal const int Orders = 5;

        /// <summary>Which of the held orders a sort is (an index into each line's places), or -1 for the default order, the lines' own.</summary>
        internal static int OrderOf(string? sort) => sort switch
        {
            "downloadsAllTime" => 0,
            "likes" => 1,
            "trendingScore" => 2,
            "createdAt" => 3,
            "parameters" => 4,
            _ => -1,
        };

        /// <summary>A line's creation day when unknown.</summary>
        internal const int NoDay = int.MinValue;

        private Names(int runId, byte[] text, int[] ids, ulong[] census, ushort[] uploaderPlaces, ushort[] originPlaces, (string? Lab, string? Country)[] places,
            ushort[] tasks, string?[] taskValues, ushort[] licenses, string?[] licenseValues, int[] sizes, long[] sizeValues, int[] days, int[][] ranks, int parts)
        {
            _ranks = ranks;
            _sizes = sizes;
            _sizeValues = sizeValues;
            _days = days;
            _tasks = tasks;
            _taskValues = taskValues;
            _licenses = licenses;
            _licenseValues = licenseValues;
            RunId = runId;
            _text = text;
            _ids = ids;
            _census = census;
            _uploaderPlaces = uploaderPlaces;
            _originPlaces = originPlaces;
            _places = places;
            // A large text is searched in parts side by side, each starting at a line's start: 8 parts, enough for
            // the cores of a small server, from about 300,000 models (8 MB); a smaller one in one part.
            parts = parts > 0 ? parts : text.Length < 8 << 20 ? 1 : 8;
            _partStarts = new int[parts];
            _partLines = new int[parts];
            for (var part = 1; part < parts; part++)
            {
                var previous = _partStarts[part - 1];
                var start = Math.Max(previous, (int)((long)text.Length * part / parts));
                start += text.AsSpan(start).IndexOf(Separator) + 1;
                _partStarts[part] = start;
                _partLines[part] = _partLines[part - 1] + text.AsSpan(previous, start - previous).Count(Separator);
            }
        }

        /// <summary>Where each part of the text starts: its first byte and its first line.</summary>
        private readonly int[] _partStarts;
        private readonly int[] _partLines;

        public int RunId { get; }

        public int Count => _ids.Length;

        public int? PlaceOf(int modelId) => Array.IndexOf(_ids, modelId) is >= 0 and var line ? line + 1 : null;

        public long Bytes => _text.LongLength + (_ids.LongLength * sizeof(int)) + (_census.LongLength * sizeof(ulong))
            + ((_uploaderPlaces.LongLength + _originPlaces.LongLength + _tasks.LongLength + _licenses.LongLength) * sizeof(ushort))
            + ((_sizes.LongLength + _days.LongLength + _ranks.Sum(ranks => ranks.LongLength)) * sizeof(int)) + (_sizeValues.LongLength * sizeof(long));

        /// <summary>Which lines a view keeps besides its text: its scope, places (under its attribution), task, licence and ranges.</summary>
        public Lines LinesOf(ListParameters parameters)
        {
            var lines = new Lines(parameters.Scope == Scope.Census, null, null);
            // A community namespace is no place held here (its models have no lab): the store's query tests it.
            var places = parameters.Lab is { } lab && CommunityLab.NamespaceOf(lab) is not null ? parameters with { Lab = null } : parameters;
            if (places.Countries.Count > 0 || places.Region is not null || places.Lab is not null)
            {
                var kept = _places.Select(place => SnapshotRows.InPlace(places, place.Lab, place.Country)).ToArray();
                lines = lines with { Places = parameters.Attribution == Attribution.Origin ? _originPlaces : _uploaderPlaces, Kept = kept };
            }

            // A value no model of the run has is -1: no line keeps it.
            if (parameters.Task is { } task)
            {
                lines = lines with { Tasks = _tasks, Task = Array.IndexOf(_taskValues, task) };
            }

            if (parameters.License is { } license)
            {
                lines = lines with { Licenses = _licenses, License = Array.IndexOf(_licenseValues, license) };
            }

            // A size range keeps the sizes from the first at or above its minimum to the last at or below its maximum
            // (unknown sizes, 0, never: as in the store); a creation range, the known days between its dates, both
            // included (the store's "to" is before the next day's start). Created up to DateOnly.MaxValue is no filter.
            if (parameters.MinParameters is not null || parameters.MaxParameters is not null)
            {
                var from = parameters.MinParameters is { } min ? LowerBound(min) + 1 : 1;
                var to = parameters.MaxParameters is { } max ? (max == long.MaxValue ? _sizeValues.Length : LowerBound(max + 1)) : _sizeValues.Length;
                lines = lines with { Sizes = _sizes, SizeFrom = from, SizeTo = to };
            }

            var createdTo = parameters.CreatedTo is { } end && end < DateOnly.MaxValue ? end : (DateOnly?)null;
            if (parameters.CreatedFrom is not null || createdTo is not null)
            {
                lines = lines with
                {
                    Days = _days,
                    DayFrom = parameters.CreatedFrom?.DayNumber ?? NoDay + 1,
                    DayTo = createdTo?.DayNumber ?? int.MaxValue,
                };
            }

            return lines;
        }

        /// <summary>
        /// The lines a view keeps besides its text: in the census scope only, (<see cref="Places"/> not null) whose
        /// place is one <see cref="Kept"/> marks, (<see cref="Tasks"/> not null) whose task is value <see cref="Task"/>,
        /// and (<see cref="Licenses"/> not null) whose licence is value <see cref="License"/>. A place filter of another
        /// kind (a community namespace) is not one.
        /// </summary>
        public readonly record struct Lines(bool CensusOnly, ushort[]? Places, bool[]? Kept)
        {
            public ushort[]? Tasks { get; init; }

            public int Task { get; init; }

            public ushort[]? Licenses { get; init; }

            public int License { get; init; }

            public int[]? Sizes { get; init; }

            public int SizeFrom { get; init; }

            public int SizeTo { get; init; }

            public int[]? Days { get; init; }

            public int DayFrom { get; init; }

            public int DayTo { get; init; }

            public static Lines All => new(false, null, null);

            public static Lines Census(bool censusOnly) => new(censusOnly, null, null);

        }

        private bool Keeps(in Lines lines, int line) =>
            (!lines.CensusOnly || (_census[line >> 6] & (1UL << (line & 63))) != 0)
            && (lines.Places is not { } places || lines.Kept![places[line]])
            && (lines.Tasks is not { } tasks || tasks[line] == lines.Task)
            && (lines.Licenses is not { } licenses || licenses[line] == lines.License)
            && (lines.Sizes is not { } sizes || (sizes[line] >= lines.SizeFrom && sizes[line] <= lines.SizeTo))
            && (lines.Days is not { } days || (days[line] >= lines.DayFrom && days[line] <= lines.DayTo));

        /// <summary>How many of the run's distinct sizes are below <paramref name="size"/>.</summary>
        private int LowerBound(long size)
        {
            var at = Array.BinarySearch(_sizeValues, size);
            return at >= 0 ? at : ~at;
        }

        /// <summary>The rows as read, in any order; <see cref="Build"/> puts them in the default order.</summary>
        /// <param name="expected">
        /// How many lines to make room for at once (the run's listed models): a list that grows by doubling holds its old
        /// and new arrays together, so at 3 million models the columns' lists alone reached about twice their size.
        /// More lines than expected are taken too.
        /// </param>
        internal sealed class Builder(int expected = 0)
        {
            private readonly List<int> _ids = new(expected);
            private readonly List<long> _downloads = new(expected);
            private readonly List<bool> _census = new(expected);
            private readonly List<ushort> _uploaderPlaces = new(expected);
            private readonly List<ushort> _originPlaces = new(expected);
            private readonly Dictionary<(string?, string?), ushort> _placeIds = [];
            private readonly List<(string? Lab, string? Country)> _places = [];
            private readonly List<ushort> _tasks = new(expected);
            private readonly List<ushort> _licenses = new(expected);
            private readonly Values _taskValues = new();
            private readonly Values _licenseValues = new();
            private readonly List<long> _sizes = new(expected);
            private readonly List<int> _days = new(expected);
            private readonly List<int> _starts = new(expected);

            // The keys of the other orders (OrderOf; the size's is its rank), and which of them are unknown (a bit each).
            private readonly List<long> _allTime = new(expected);
            private readonly List<long> _likes = new(expected);
            private readonly List<long> _trending = new(expected);
            private readonly List<long> _created = new(expected);
            private readonly List<byte> _unknown = new(expected);

            // Room for ids of about 40 characters (the Hub's are shorter on average), at most 1 GiB up front; more is grown into.
            private byte[] _text = new byte[(int)Math.Clamp(expected * 40L, 1 << 16, 1 << 30)];
            private int _length;

            /// <exception cref="InvalidOperationException">More than 65,536 distinct places (labs and countries): a registry this index was not made for.</exception>
            public void Add(int id, string hubId, long downloads30d, bool inCensus,
                string? labId = null, string? country = null, string? originLabId = null, string? originCountry = null,
                string? task = null, string? license = null, DateTime? createdAt = null, long? parameters = null,
                long? downloadsAllTime = null, long? likes = null, long? trendingScore = null)
            {
                _ids.Add(id);
                _starts.Add(_length);
                if (_length + hubId.Length > _text.Length)
                {
                    Array.Resize(ref _text, Math.Max(_text.Length * 2, _length + hubId.Length));
                }

                foreach (var c in hubId)
                {
                    // ASCII letters lower-cased, as SQLite's LIKE compares them; any other character outside printable
                    // ASCII (a separator included, so no line is ever split) is a byte no search matches (searches are
                    // printable ASCII: Answers).
                    _text[_length++] = c is >= 'A' and <= 'Z' ? (byte)(c + 32) : c is >= ' ' and <= '~' ? (byte)c : (byte)0x80;
                }

                _downloads.Add(downloads30d);
                _census.Add(inCensus);
                _uploaderPlaces.Add(Place(labId, country));
                _originPlaces.Add(Place(originLabId, originCountry));
                _tasks.Add(_taskValues.Of(task));
                _licenses.Add(_licenseValues.Of(license));
                // An unknown size is long.MinValue here, numbered 0 in Build.
                _sizes.Add(parameters ?? long.MinValue);
                _days.Add(createdAt is { } created ? DateOnly.FromDateTime(created).DayNumber : NoDay);
                _allTime.Add(downloadsAllTime ?? 0);
                _likes.Add(likes ?? 0);
                _trending.Add(trendingScore ?? 0);
                _created.Add(createdAt?.Ticks ?? 0);
                _unknown.Add((byte)((downloadsAllTime is null ? 1 : 0) | (likes is null ? 2 : 0) | (trendingScore is null ? 4 : 0) | (createdAt is null ? 8 : 0)));
            }

            /// <summary>
            /// Each line's place in each held order (<see cref="OrderOf"/>): the lines sorted by (known, value, id), one
            /// order at a time in one array of keys.
            /// </summary>
            private int[][] Ranks(int[] order, int[] sizes)
            {
                var ranks = new int[Orders][];
                var keys = new OrderKey[order.Length];
                for (var sort = 0; sort < Orders; sort++)
                {
                    var (values, unknown) = sort switch
                    {
                        0 => (_allTime, 1),
                        1 => (_likes, 2),
                        2 => (_trending, 4),
                        3 => (_created, 8),
                        _ => (null, 0),
                    };
                    for (var line = 0; line < order.Length; line++)
                    {
                        var row = order[line];
                        // A size is its rank among the run's sizes, 0 (lowest) when unknown.
                        keys[line] = values is null
                            ? new OrderKey(true, sizes[line], _ids[row], line)
                            : new OrderKey((_unknown[row] & unknown) == 0, values[row], _ids[row], line);
                    }

                    Array.Sort(keys);
                    var rank = new int[order.Length];
                    for (var at = 0; at < keys.Length; at++)
                    {
                        rank[keys[at].Line] = at;
                    }

                    ranks[sort] = rank;
                }

                return ranks;
            }

            /// <summary>A line's key in one order: unknown values first, then by value, ties by the store's id.</summary>
            private readonly record struct OrderKey(bool Known, long Value, int Id, int Line) : IComparable<OrderKey>
            {
                public int CompareTo(OrderKey other) =>
                    Known != other.Known ? (Known ? 1 : -1)
                    : Value != other.Value ? Value.CompareTo(other.Value)
                    : Id.CompareTo(other.Id);
            }

            /// <summary>A column's distinct values, each numbered once.</summary>
            private sealed class Values
            {
                private readonly Dictionary<string, ushort> _numbers = new(StringComparer.Ordinal);

                public List<string?> All { get; } = [null];

                public ushort Of(string? value)
                {
                    if (value is null)
                    {
                        return 0;
                    }

                    if (!_numbers.TryGetValue(value, out var number))
                    {
                        if (All.Count > ushort.MaxValue)
                        {
                            throw new InvalidOperationException($"More than {ushort.MaxValue + 1} distinct tasks or licences among the models");
                        }

                        number = (ushort)All.Count;
                        _numbers.Add(value, number);
                        All.Add(value);
                    }

                    return number;
                }
            }

            private ushort Place(string? labId, string? country)
            {
                if (!_placeIds.TryGetValue((labId, country), out var place))
                {
                    if (_places.Count > ushort.MaxValue)
                    {
                        throw new InvalidOperationException($"More than {ushort.MaxValue + 1} distinct labs and countries among the models");
                    }

                    place = (ushort)_places.Count;
                    _placeIds.Add((labId, country), place);
                    _places.Add((labId, country));
                }

                return place;
            }

            /// <param name="parts">How many parts the text is searched in; 0: by its size.</param>
            /// <remarks>
            /// The orders' places first, then the keys they were sorted by let go, and only then the lines copied into
            /// their final arrays: at 3 million models the sort's keys, the places and the copies are each tens of MB,
            /// and not all alive at once.
            /// </remarks>
            public Names Build(int runId, int parts = 0)
            {
                var order = Order();
                // The distinct known sizes, ascending; a line's size is its place among them, from 1.
                var sizeValues = _sizes.Where(size => size != long.MinValue).Distinct().Order().ToArray();
                var sizes = new int[order.Length];
                for (var line = 0; line < order.Length; line++)
                {
                    var size = _sizes[order[line]];
                    sizes[line] = size == long.MinValue ? 0 : Array.BinarySearch(sizeValues, size) + 1;
                }

                var ranks = Ranks(order, sizes);
                foreach (var keys in new[] { _downloads, _sizes, _allTime, _likes, _trending, _created })
                {
                    keys.Clear();
                    keys.Capacity = 0;
                }

                var text = new byte[_length + order.Length];
                var ids = new int[order.Length];
                var census = new ulong[(order.Length + 63) / 64];
                var uploaderPlaces = new ushort[order.Length];
                var originPlaces = new ushort[order.Length];
                var tasks = new ushort[order.Length];
                var licenses = new ushort[order.Length];
                var days = new int[order.Length];
                var at = 0;
                for (var line = 0; line < order.Length; line++)
                {
                    var row = order[line];
                    var start = _starts[row];
                    var end = row + 1 < _starts.Count ? _starts[row + 1] : _length;
                    _text.AsSpan(start, end - start).CopyTo(text.AsSpan(at));
                    at += end - start;
                    text[at++] = Separator;
                    ids[line] = _ids[row];
                    uploaderPlaces[line] = _uploaderPlaces[row];
                    originPlaces[line] = _originPlaces[row];
                    tasks[line] = _tasks[row];
                    licenses[line] = _licenses[row];
                    days[line] = _days[row];
                    if (_census[row])
                    {
                        census[line >> 6] |= 1UL << (line & 63);
                    }
                }

                return new Names(runId, text, ids, census, uploaderPlaces, originPlaces, [.. _places], tasks, [.. _taskValues.All], licenses, [.. _licenseValues.All],
                    sizes, sizeValues, days, ranks, parts);
            }

            /// <summary>
            /// The rows in the grid's default order: descending by 30-day downloads, then by id
            /// (<see cref="ModelLeaderboard.Sort"/>). Sorted as one number each (the count above the id's 24 bits, negated so
            /// that going up puts the largest first) when every count and id fits; otherwise compared pair by pair.
            /// </summary>
            private int[] Order()
            {
                var order = new int[_ids.Count];
                for (var i = 0; i < order.Length; i++)
                {
                    order[i] = i;
                }

                if (_downloads.All(d => d is >= 0 and < 1L << 39) && _ids.All(id => id is >= 0 and < 1 << 24))
                {
                    var keys = new long[order.Length];
                    for (var i = 0; i < keys.Length; i++)
                    {
                        keys[i] = -((_downloads[i] << 24) | (long)_ids[i]);
                    }

                    Array.Sort(keys, order);
                    return order;
                }

                Array.Sort(order, (a, b) => _downloads[a] != _downloads[b] ? _downloads[b].CompareTo(_downloads[a]) : _ids[b].CompareTo(_ids[a]));
                return order;
            }
        }

        /// <summary>
        /// The ids a search's matches are given to the store as, in id order (the store reads their rows in that order):
        /// the ids that contain <paramref name="q"/> on the lines <paramref name="narrow"/> keeps, or, when the text is in
        /// most ids, every id that lacks it (<see cref="Matched.Excluded"/>, whatever <paramref name="narrow"/> says), so
        /// that a search found in nearly every id costs the store its plan without a search, not millions of ids
        /// (<c>q=/</c> sorted by likes at 3 million models: 10 s given every id). With no text, the ids of the lines
        /// <paramref name="narrow"/> keeps.
        /// </summary>
        public Matched Matching(string? q, Lines narrow = default)
        {
            // With a text, each part marks its own lines, side by side; with none, every line is a match.
            var found = q is null ? null : new bool[Count];
            var matched = found is null ? Count : CountParts(Needle(q!), Lines.All, found).Sum();
            var excluded = matched > Count / 2 && found is not null;
            var ids = new List<int>(found is null ? 0 : excluded ? Count - matched : matched);
            for (var line = 0; line < Count; line++)
            {
                if (excluded ? !found![line] : (found is null || found[line]) && Keeps(narrow, line))
                {
                    ids.Add(_ids[line]);
                }
            }

            var sorted = ids.ToArray();
            Array.Sort(sorted);
            return new Matched(sorted, excluded);
        }

        /// <summary>Each part's matches, counted side by side when there are several; <paramref name="found"/>: see <see cref="Scan"/>.</summary>
        private int[] CountParts(byte[]? needle, Lines lines, bool[]? found)
        {
            var counts = new int[_partStarts.Length];
            if (counts.Length == 1)
            {
                counts[0] = Scan(0, needle, lines, 0, 0, null, found);
            }
            else
            {
                Parallel.For(0, counts.Length, part => counts[part] = Scan(part, needle, lines, 0, 0, null, found));
            }

            return counts;
        }

        private static byte[] Needle(string q)
        {
            var needle = new byte[q.Length];
            for (var i = 0; i < q.Length; i++)
            {
                needle[i] = (byte)(q[i] is >= 'A' and <= 'Z' ? q[i] + 32 : q[i]);
            }

            return needle;
        }

        /// <summary>
        /// Counts the lines holding <paramref name="q"/> (ASCII letters in any case) and takes the page's ids: the matches
        /// from <paramref name="offset"/> in the default order, or, <paramref name="ascending"/>, in the reverse order.
        /// </summary>
        public Found Find(string q, bool censusOnly, bool ascending, int offset, int limit) =>
            Find(q, Lines.Census(censusOnly), ascending, offset, limit);

        /// <summary>
        /// As the other overload, on the lines <paramref name="lines"/> keeps (scope, places, task, licence, ranges); with
        /// no text (<paramref name="q"/> null), every line they keep.
        /// </summary>
        public Found Find(string? q, Lines lines, bool ascending, int offset, int limit)
        {
            // First each part's matches are counted, side by side (a text found in every id is on every line: 3 million
            // at the Hub's size); then the page's window is taken from the parts it falls in, each scan stopping at
            // its end.
            var needle = q is null ? null : Needle(q);
            var counts = CountParts(needle, lines, null);

            long total = counts.Sum();
            // Going up, the page is the matches counted from the end, turned.
            var from = ascending ? Math.Max(0L, total - offset - limit) : offset;
            var to = ascending ? Math.Max(0L, total - offset) : Math.Min(total, (long)offset + limit);
            var page = new List<int>((int)Math.Max(0, Math.Min(to - from, 1000)));
            long before = 0;
            for (var part = 0; part < counts.Length && before < to; part++)
            {
                if (before + counts[part] > from)
                {
                    Scan(part, needle, lines, from - before, to - before, page);
                }

                before += counts[part];
            }

            if (ascending)
            {
                page.Reverse();
            }

            return new Found((int)total, [.. page]);
        }

        /// <summary>
        /// As <see cref="Find(string?, Lines, bool, int, int)"/>, in the order <paramref name="sort"/> (the default order
        /// when it is none of <see cref="OrderOf"/>'s): each match is marked at its place in that order (one bit a line),
        /// the page's places are read off the marks from the top (or, <paramref name="ascending"/>, the bottom), then
        /// one pass over the lines' places finds the lines at them. At 3 million models that is two passes over the lines
        /// whatever the view and the page, where the store reads each match's key by id or walks its order's index.
        /// </summary>
        public Found Find(string? q, Lines lines, string? sort, bool ascending, int offset, int limit)
        {
            if (OrderOf(sort) is not (>= 0 and var order))
            {
                return Find(q, lines, ascending, offset, limit);
            }

            var ranks = _ranks[order];
            var marks = new ulong[(Count + 63) >> 6];
            int total;
            if (q is null)
            {
                var counts = new int[_partLines.Length];
                Parallel.For(0, counts.Length, part => counts[part] = MarkLines(part, lines, ranks, marks));
                total = counts.Sum();
            }
            else
            {
                var found = new bool[Count];
                total = CountParts(Needle(q), lines, found).Sum();
                for (var line = 0; line < found.Length; line++)
                {
                    if (found[line])
                    {
                        var rank = ranks[line];
                        marks[rank >> 6] |= 1UL << (rank & 63);
                    }
                }
            }

            var page = PagePlaces(marks, ascending, offset, limit);
            var ids = new int[page.Count];
            if (page.Count > 0)
            {
                var sorted = page.Order().ToArray();
                var (low, high) = (sorted[0], sorted[^1]);
                for (var line = 0; line < ranks.Length; line++)
                {
                    var rank = ranks[line];
                    if (rank >= low && rank <= high && (marks[rank >> 6] & (1UL << (rank & 63))) != 0)
                    {
                        var at = Array.BinarySearch(sorted, rank);
                        ids[ascending ? at : sorted.Length - 1 - at] = _ids[line];
                    }
                }
            }

            return new Found(total, ids);
        }

        /// <summary>Marks the lines of one part that <paramref name="lines"/> keeps at their places (<paramref name="ranks"/>); counts them.</summary>
        private int MarkLines(int part, Lines lines, int[] ranks, ulong[] marks)
        {
            var end = part + 1 < _partLines.Length ? _partLines[part + 1] : _ids.Length;
            var matches = 0;
            for (var line = _partLines[part]; line < end; line++)
            {
                if (Keeps(lines, line))
                {
                    var rank = ranks[line];
                    Interlocked.Or(ref marks[rank >> 6], 1UL << (rank & 63));
                    matches++;
                }
            }

            return matches;
        }

        /// <summary>The places of the marked lines numbered [offset, offset + limit) from the top (or the bottom, <paramref name="ascending"/>), in the page's order.</summary>
        private static List<int> PagePlaces(ulong[] marks, bool ascending, long offset, int limit)
        {
            var page = new List<int>(Math.Clamp(limit, 0, 1000));
            var skip = offset;
            for (var i = 0; i < marks.Length && page.Count < limit; i++)
            {
                var at = ascending ? i : marks.Length - 1 - i;
                var word = marks[at];
                var marked = System.Numerics.BitOperations.PopCount(word);
                if (skip >= marked)
                {
                    skip -= marked;
                    continue;
                }

                while (word != 0 && page.Count < limit)
                {
                    var bit = ascending ? System.Numerics.BitOperations.TrailingZeroCount(word) : 63 - System.Numerics.BitOperations.LeadingZeroCount(word);
                    word &= ~(1UL << bit);
                    if (skip > 0)
                    {
                        skip--;
                    }
                    else
                    {
                        page.Add((at << 6) + bit);
                    }
                }
            }

            return page;
        }

        /// <summary>
        /// Counts the matching lines of one part; adds to <paramref name="page"/> the ids of its matches numbered
        /// [from, to), and then stops.
        /// </summary>
        /// <param name="found">Marks every matching line (its part's lines only, so parts can mark side by side).</param>
        private int Scan(int part, byte[]? needle, in Lines lines, long from, long to, List<int>? page, bool[]? found = null)
        {
            if (needle is null)
            {
                return ScanLines(part, lines, from, to, page);
            }

            var start = _partStarts[part];
            var end = part + 1 < _partStarts.Length ? _partStarts[part + 1] : _text.Length;
            var text = _text.AsSpan(0, end);
            var position = start;
            var line = _partLines[part];
            var matches = 0;
            while (position < text.Length)
            {
                var hit = text[position..].IndexOf(needle);
                if (hit < 0)
                {
                    break;
                }

                // The lines passed on the way to the hit, then the hit's line is left: a line counts once.
                line += text.Slice(position, hit).Count(Separator);
                var at = position + hit;
                position = at + text[at..].IndexOf(Separator) + 1;
                if (Keeps(lines, line))
                {
                    if (found is not null)
                    {
                        found[line] = true;
                    }
                    else if (matches >= from && matches < to)
                    {
                        page!.Add(_ids[line]);
                    }

                    matches++;
                    if (page is not null && matches >= to)
                    {
                        break;
                    }
                }

                line++;
            }

            return matches;
        }

        /// <summary>As <see cref="Scan"/> with no text: every line of the part that <paramref name="lines"/> keeps.</summary>
        private int ScanLines(int part, in Lines lines, long from, long to, List<int>? page)
        {
            var end = part + 1 < _partLines.Length ? _partLines[part + 1] : _ids.Length;
            var matches = 0;
            for (var line = _partLines[part]; line < end; line++)
            {
                if (Keeps(lines, line))
                {
                    if (page is not null && matches >= from)
                    {
                        if (matches >= to)
                        {
                            break;
                        }

                        page.Add(_ids[line]);
                    }

                    matches++;
                }
            }

            return matches;
        }
    }
}
