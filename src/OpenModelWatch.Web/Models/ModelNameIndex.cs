using System.Diagnostics;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Storage;
using OpenModelWatch.Web.Reading;
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
public sealed class ModelNameIndex(IDbContextFactory<OpenModelWatchDb> dbFactory, ILogger<ModelNameIndex> logger) : IViewWarmup
{
    private const byte Separator = (byte)'\n';

    private readonly Lock _gate = new();
    private Names? _names;
    private Task<Names?>? _building;
    private int _buildingFor;
    private long _answered;

    /// <summary>Built with the default views whenever a newer run succeeds (<see cref="ViewWarmup"/>), ahead of the first search.</summary>
    public Task WarmAsync(AsOfRun asOf, CancellationToken cancellationToken) => BuildAsync(asOf.Id, cancellationToken);

    /// <summary>How many searches and places this index has answered since the app started.</summary>
    public long Answered => Interlocked.Read(ref _answered);

    /// <summary>What a search found: how many models match, and the ids of the requested page, in the page's order.</summary>
    public sealed record Found(int Total, int[] Ids);

    /// <summary>A search's matches for the store's query: the listed models' ids that contain the text, or (<paramref name="Excluded"/>) that do not; in id order.</summary>
    public sealed record Matched(int[] Ids, bool Excluded);

    /// <summary>
    /// Whether a view is one this index answers: a text search of plain ASCII with no other filter (the scope and the
    /// attribution aside: a text matches a model whoever it counts for), in the default order, either direction.
    /// </summary>
    public static bool Answers(ListParameters parameters) =>
        parameters.Q is { } q && Searchable(q)
        && parameters.Countries.Count == 0 && parameters.Region is null && parameters.Lab is null
        && parameters.Task is null && parameters.License is null
        && parameters.MinParameters is null && parameters.MaxParameters is null
        && parameters.CreatedFrom is null && parameters.CreatedTo is null
        && parameters.Sort is null or "downloads30d";

    /// <summary>Whether a text is one this index searches: printable ASCII (as every Hub id is).</summary>
    public static bool Searchable(string q) => q.Length > 0 && q.All(c => c is >= ' ' and <= '~');

    /// <summary>
    /// The ids that contain the view's text, or those that do not, when this index holds run <paramref name="runId"/>
    /// (<see cref="Names.Matching"/>), for a search with other filters or in another order; null otherwise, after
    /// starting to build it. Any scope: the store's query keeps the view's.
    /// </summary>
    public Matched? Matches(int runId, ListParameters parameters)
    {
        var names = _names;
        if (names is null || names.RunId != runId)
        {
            _ = BuildAsync(runId);
            return null;
        }

        Interlocked.Increment(ref _answered);
        return names.Matching(parameters.Q!);
    }

    /// <summary>
    /// The view's count and page when this index holds run <paramref name="runId"/> (the store's current run); null
    /// otherwise, after starting to build it for the store's current run if no build is under way.
    /// </summary>
    public Found? Find(int runId, ListParameters parameters)
    {
        var names = _names;
        if (names is null || names.RunId != runId)
        {
            _ = BuildAsync(runId);
            return null;
        }

        Interlocked.Increment(ref _answered);
        return names.Find(parameters.Q!, parameters.Scope == Scope.Census, parameters.Ascending, parameters.Offset, parameters.Limit);
    }

    /// <summary>
    /// A listed model's place in the default order of run <paramref name="runId"/> (1 for the most downloaded), when this
    /// index holds that run: a search of the ids, where counting the models ahead of it in the store reads the
    /// <c>(Listed, Downloads30d)</c> index up to its place (up to 80 ms at 3 million models). Null when the index does
    /// not hold the run or the model is not listed in it.
    /// </summary>
    public int? PlaceOf(int runId, int modelId)
    {
        var names = _names;
        if (names is null || names.RunId != runId)
        {
            _ = BuildAsync(runId);
            return null;
        }

        Interlocked.Increment(ref _answered);
        return names.PlaceOf(modelId);
    }

    /// <summary>
    /// Builds the index for the store's current run unless it holds it (or a build of <paramref name="runId"/> is under
    /// way, which it waits for). Returns the run id it then holds, null when no run succeeded or the build failed (logged,
    /// and tried again on the next search).
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

            var rows = new Names.Builder();
            await using (var command = db.Database.GetDbConnection().Command(db.Database.CurrentTransaction?.GetDbTransaction(),
                "SELECT Id, HubId, Downloads30d, InCensus FROM Models WHERE Downloads30d IS NOT NULL"))
            await using (var reader = await command.ExecuteReaderAsync())
            {
                while (await reader.ReadAsync())
                {
                    rows.Add(reader.GetInt32(0), reader.GetString(1), reader.GetInt64(2), reader.GetBoolean(3));
                }
            }

            var read = clock.Elapsed;
            var names = rows.Build(runId);
            logger.LogInformation("Model name index: {Models} models of run {RunId}, {Megabytes:0.0} MB, read in {Read:0.0} s, built in {Seconds:0.0} s",
                names.Count, runId, names.Bytes / 1e6, read.TotalSeconds, clock.Elapsed.TotalSeconds);
            return names;
        }
        catch (Exception exception) when (exception is not OperationCanceledException)
        {
            logger.LogWarning(exception, "Model name index: build failed; searches use the trigram index");
            return null;
        }
    }

    /// <summary>One run's listed models: their ids and their ids' text, line by line, in the default order.</summary>
    internal sealed class Names
    {
        private readonly byte[] _text;
        private readonly int[] _ids;
        private readonly ulong[] _census;

        private Names(int runId, byte[] text, int[] ids, ulong[] census, int parts)
        {
            RunId = runId;
            _text = text;
            _ids = ids;
            _census = census;
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

        public long Bytes => _text.LongLength + (_ids.LongLength * sizeof(int)) + (_census.LongLength * sizeof(ulong));

        /// <summary>The rows as read, in any order; <see cref="Build"/> puts them in the default order.</summary>
        internal sealed class Builder
        {
            private readonly List<int> _ids = [];
            private readonly List<long> _downloads = [];
            private readonly List<bool> _census = [];
            private readonly List<int> _starts = [];
            private byte[] _text = new byte[1 << 16];
            private int _length;

            public void Add(int id, string hubId, long downloads30d, bool inCensus)
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
            }

            /// <param name="parts">How many parts the text is searched in; 0: by its size.</param>
            public Names Build(int runId, int parts = 0)
            {
                var order = Order();
                var text = new byte[_length + order.Length];
                var ids = new int[order.Length];
                var census = new ulong[(order.Length + 63) / 64];
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
                    if (_census[row])
                    {
                        census[line >> 6] |= 1UL << (line & 63);
                    }
                }

                return new Names(runId, text, ids, census, parts);
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
        /// the ids that contain <paramref name="q"/>, or, when they are most of the run, the ids that do not
        /// (<see cref="Matched.Excluded"/>), so that a search found in nearly every id costs the store its plan without
        /// a search, not millions of ids (<c>q=/</c> sorted by likes at 3 million models: 10 s given every id).
        /// </summary>
        public Matched Matching(string q)
        {
            // Each part marks its own lines, side by side.
            var found = new bool[Count];
            var matched = CountParts(Needle(q), censusOnly: false, found).Sum();
            var excluded = matched > Count / 2;
            var ids = new int[excluded ? Count - matched : matched];
            var next = 0;
            for (var line = 0; line < found.Length; line++)
            {
                if (found[line] != excluded)
                {
                    ids[next++] = _ids[line];
                }
            }

            Array.Sort(ids);
            return new Matched(ids, excluded);
        }

        /// <summary>Each part's matches, counted side by side when there are several; <paramref name="found"/>: see <see cref="Scan"/>.</summary>
        private int[] CountParts(byte[] needle, bool censusOnly, bool[]? found)
        {
            var counts = new int[_partStarts.Length];
            if (counts.Length == 1)
            {
                counts[0] = Scan(0, needle, censusOnly, 0, 0, null, found);
            }
            else
            {
                Parallel.For(0, counts.Length, part => counts[part] = Scan(part, needle, censusOnly, 0, 0, null, found));
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
        public Found Find(string q, bool censusOnly, bool ascending, int offset, int limit)
        {
            // First each part's matches are counted, side by side (a text found in every id is on every line: 3 million
            // at the Hub's size); then the page's window is taken from the parts it falls in, each scan stopping at
            // its end.
            var needle = Needle(q);
            var counts = CountParts(needle, censusOnly, null);

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
                    Scan(part, needle, censusOnly, from - before, to - before, page);
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
        /// Counts the matching lines of one part; adds to <paramref name="page"/> the ids of its matches numbered
        /// [from, to), and then stops.
        /// </summary>
        /// <param name="found">Marks every matching line (its part's lines only, so parts can mark side by side).</param>
        private int Scan(int part, ReadOnlySpan<byte> needle, bool censusOnly, long from, long to, List<int>? page, bool[]? found = null)
        {
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
                if (!censusOnly || (_census[line >> 6] & (1UL << (line & 63))) != 0)
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
    }
}
