using System.Data.Common;
using System.Globalization;
using System.IO.Hashing;
using System.Runtime.InteropServices;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// The store's models in memory, for a whole-Hub run: each Hub id's model id and a fingerprint of the metadata stored
/// with it, read in one pass when the run starts. A record whose id and metadata match a model's needs no query: most
/// of a whole-Hub listing (3 million models, of which a few thousand change metadata in a day) is written without one.
/// At 1M models the queries it saves took about 8 s of a day's listing, for a load of 2.4 s (9 s at 3M, where each
/// query reads a larger index). A miss or a mismatch is not an answer: the writer
/// then reads the store as without the map, so the map can only save work, never decide differently.
/// </summary>
/// <remarks>
/// Compact, not exact by itself: a 64-bit hash of the Hub id finds the model (open addressing),
/// and the fingerprint is a second 64-bit hash, seeded differently, of the Hub id and the metadata together. A record is
/// taken for a stored model only when both match, so a wrong answer needs two independent 64-bit collisions on the
/// same pair (about 2⁻¹²⁸ per pair: at 3 million models, 10⁻²⁶ a run). 12 bytes a slot (a table a third larger than the
/// store) and 8 a model for the fingerprints: about 75 MB at 3 million models, released once the listing is written.
/// </remarks>
public sealed class StoredModelMap
{
    private const ulong NoKey = 0;
    private const long KeySeed = 0x4F4D57_6B6579;
    private const long FingerprintSeed = 0x4F4D57_667072;

    private readonly ulong[] _keys;
    private readonly int[] _ids;
    private readonly ulong[] _fingerprints;
    private int _count;

    /// <param name="models">Models the map has room for.</param>
    /// <param name="ids">Model ids it has room for (below this).</param>
    private StoredModelMap(int models, int ids)
    {
        var slots = (int)Math.Min(int.MaxValue / 2, Math.Max(1024, models * 4L / 3));
        _keys = new ulong[slots];
        _ids = new int[slots];
        _fingerprints = new ulong[Math.Max(1024, ids)];
    }

    // The first slot a key probes: any table size (not only powers of two, which would waste up to half the table).
    private static int Home(ulong key, int slots) => (int)(key % (ulong)slots);

    /// <summary>A map with no model yet, with room for <paramref name="models"/> (ids below that).</summary>
    public static StoredModelMap Empty(int models) => new(models, models);

    /// <summary>Models in the map.</summary>
    public int Count => _count;

    /// <summary>
    /// Reads every stored model's id, Hub id and metadata in one pass (<paramref name="count"/>: the models stored and
    /// their highest id): <paramref name="select"/> gives the id, the Hub id,
    /// then either the metadata's canonical text (<see cref="Fingerprint.CanonicalSql"/>, one column: SQLite builds it
    /// faster than the provider hands over eleven) or the metadata columns in the order the writer binds them.
    /// </summary>
    public static StoredModelMap Load(DbCommand count, DbCommand select)
    {
        int stored, maxId;
        using (var counted = count.ExecuteReader())
        {
            counted.Read();
            (stored, maxId) = (Convert.ToInt32(counted.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt32(counted.GetValue(1), CultureInfo.InvariantCulture));
        }

        // Room for the run's new models (a day adds about 0.2%): 2% more, and ids above the highest stored.
        var room = (stored / 50) + 1024;
        var map = new StoredModelMap(stored + room, maxId + room + 1);
        var fingerprint = new Fingerprint();
        using var reader = select.ExecuteReader();
        var canonical = reader.FieldCount == 3;
        while (reader.Read())
        {
            var id = reader.GetInt32(0);
            var hubId = reader.GetString(1);
            fingerprint.Start(hubId);
            if (canonical)
            {
                fingerprint.AddCanonical(reader.GetString(2));
            }
            else
            {
                for (var column = 2; column < reader.FieldCount; column++)
                {
                    fingerprint.Add(reader.IsDBNull(column) ? DBNull.Value : reader.GetValue(column));
                }
            }

            map.Set(hubId, id, fingerprint.Hash());
        }

        return map;
    }

    /// <summary>The stored model with this Hub id, when its metadata's fingerprint is <paramref name="fingerprint"/>; else null (read the store).</summary>
    public int? Find(string hubId, ulong fingerprint)
    {
        var key = Key(hubId);
        for (var slot = Home(key, _keys.Length); _keys[slot] != NoKey; slot = Next(slot))
        {
            if (_keys[slot] == key)
            {
                var id = _ids[slot];
                return id < _fingerprints.Length && _fingerprints[id] == fingerprint ? id : null;
            }
        }

        return null;
    }

    /// <summary>
    /// Records that the model <paramref name="id"/> is stored under <paramref name="hubId"/> with metadata of this
    /// fingerprint. The map never grows past what <see cref="Load"/> planned (the store's models and room for a day's
    /// new ones): a model that does not fit is left out, and read from the store when listed again. A first whole-Hub
    /// day, whose store starts empty, so keeps the map small (it grew to 110 MB with its table doubling, at 3 million).
    /// </summary>
    public void Set(string hubId, int id, ulong fingerprint)
    {
        var key = Key(hubId);
        var slot = Home(key, _keys.Length);
        while (_keys[slot] != NoKey && _keys[slot] != key)
        {
            slot = Next(slot);
        }

        if (_keys[slot] == NoKey)
        {
            if ((_count + 1) * 5L > _keys.Length * 4L || id >= _fingerprints.Length)
            {
                return;
            }

            _count++;
        }
        else if (_ids[slot] != id)
        {
            // Two Hub ids with the same key (a 64-bit collision): the earlier model's fingerprint can no longer be
            // trusted to be its own, so neither is found; both are read from the store. A new id past the planned
            // range is not kept at all.
            _fingerprints[_ids[slot]] = 0;
            if (id >= _fingerprints.Length)
            {
                return;
            }

            fingerprint = 0;
        }

        _keys[slot] = key;
        _ids[slot] = id;
        _fingerprints[id] = fingerprint;
    }

    private int Next(int slot) => slot + 1 == _keys.Length ? 0 : slot + 1;

    private static ulong Key(string hubId)
    {
        var key = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(hubId.AsSpan()), KeySeed);
        return key == NoKey ? 1 : key;
    }

    /// <summary>
    /// A model's Hub id and metadata hashed as stored, through a canonical text: the Hub id, a group separator (U+001D),
    /// then each value as a unit separator (U+001F) and its text, or a record separator (U+001E) for none. A number's text
    /// is its decimal digits; a time's the text the SQLite provider stores (the writer's comparison,
    /// <c>SnapshotWriter.Same</c>, treats them alike). A record with a control character in a text field never takes the
    /// map's path (its fields are untrusted), so a separator inside a value cannot make two rows alike.
    /// </summary>
    public sealed class Fingerprint
    {
        private const char Group = '\u001D';
        private const char None = '\u001E';
        private const char Unit = '\u001F';

        private char[] _buffer = new char[512];
        private int _length;

        /// <summary>
        /// SQLite's expression of the canonical text of <paramref name="columns"/> (the metadata, in binding order): a
        /// NULL's concatenation is NULL, so <c>COALESCE</c> turns it into the record separator; an integer concatenates as
        /// its decimal digits.
        /// </summary>
        public static string CanonicalSql(IEnumerable<string> columns) =>
            string.Join(" || ", columns.Select(column => $"COALESCE(char(31) || {column}, char(30))"));

        public void Start(string hubId)
        {
            _length = 0;
            Append(hubId);
            Append(Group);
        }

        public void Add(object value)
        {
            switch (value)
            {
                case DBNull:
                    Append(None);
                    break;
                case string text:
                    Append(Unit);
                    Append(text);
                    break;
                case DateTime at:
                    Append(Unit);
                    Append(at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                    break;
                case long or int or short:
                    Append(Unit);
                    Append(Convert.ToInt64(value, CultureInfo.InvariantCulture).ToString(CultureInfo.InvariantCulture));
                    break;
                default:
                    // A kind the writer never binds: a text no record gives.
                    Append(Group);
                    Append(value.GetType().FullName ?? "?");
                    break;
            }
        }

        /// <summary>Metadata already in canonical text (<see cref="CanonicalSql"/>).</summary>
        public void AddCanonical(string text) => Append(text);

        /// <summary>The fingerprint; never 0 (0 marks a model whose fingerprint is not trusted).</summary>
        public ulong Hash()
        {
            var hash = XxHash3.HashToUInt64(MemoryMarshal.AsBytes(_buffer.AsSpan(0, _length)), FingerprintSeed);
            return hash == 0 ? 1 : hash;
        }

        private void Append(char value)
        {
            Reserve(1);
            _buffer[_length++] = value;
        }

        private void Append(string text)
        {
            Reserve(text.Length);
            text.CopyTo(_buffer.AsSpan(_length));
            _length += text.Length;
        }

        private void Reserve(int chars)
        {
            if (_length + chars > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + chars));
            }
        }
    }
}
