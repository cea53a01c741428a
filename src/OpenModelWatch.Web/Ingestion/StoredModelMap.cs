using System.Buffers.Binary;
using System.Data.Common;
using System.Globalization;
using System.IO.Hashing;
using System.Text;

namespace OpenModelWatch.Web.Ingestion;

/// <summary>
/// The store's models in memory, for a whole-Hub run: each Hub id's model id and a fingerprint of the metadata stored
/// with it, read in one pass when the run starts. A record whose id and metadata match a model's needs no query: most
/// of a whole-Hub listing (3 million models, of which a few thousand change metadata in a day) is written without one,
/// where reading each model by its Hub id cost about 30 µs each. A miss or a mismatch is not an answer: the writer
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

    private ulong[] _keys;
    private int[] _ids;
    private ulong[] _fingerprints = [];
    private int _count;

    private StoredModelMap(int expected)
    {
        var slots = (int)Math.Min(int.MaxValue / 2, Math.Max(1024, expected * 4L / 3));
        _keys = new ulong[slots];
        _ids = new int[slots];
        _fingerprints = new ulong[Math.Max(1024, expected)];
    }

    // The first slot a key probes: any table size (not only powers of two, which would waste up to half the table).
    private static int Home(ulong key, int slots) => (int)(key % (ulong)slots);

    /// <summary>A map with no model yet (it grows as models are set).</summary>
    public static StoredModelMap Empty() => new(0);

    /// <summary>Models in the map.</summary>
    public int Count => _count;

    /// <summary>
    /// Reads every stored model's id, Hub id and metadata (<paramref name="select"/>'s columns: id, Hub id, then the
    /// metadata in the order the writer binds it) in one pass.
    /// </summary>
    public static StoredModelMap Load(DbCommand count, DbCommand select)
    {
        var expected = Convert.ToInt32(count.ExecuteScalar(), CultureInfo.InvariantCulture);
        // Room for the run's new models (a day adds about 0.2%) without growing.
        var map = new StoredModelMap(expected + (expected / 50) + 1024);
        var fingerprint = new Fingerprint();
        using var reader = select.ExecuteReader();
        while (reader.Read())
        {
            var id = reader.GetInt32(0);
            var hubId = reader.GetString(1);
            fingerprint.Start(hubId);
            for (var column = 2; column < reader.FieldCount; column++)
            {
                fingerprint.Add(reader.IsDBNull(column) ? DBNull.Value : reader.GetValue(column));
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

    /// <summary>Records that the model <paramref name="id"/> is stored under <paramref name="hubId"/> with metadata of this fingerprint.</summary>
    public void Set(string hubId, int id, ulong fingerprint)
    {
        if ((_count + 1) * 5L > _keys.Length * 4L)
        {
            Grow();
        }

        var key = Key(hubId);
        var slot = Home(key, _keys.Length);
        while (_keys[slot] != NoKey && _keys[slot] != key)
        {
            slot = Next(slot);
        }

        if (_keys[slot] == NoKey)
        {
            _count++;
        }
        else if (_ids[slot] != id && _ids[slot] < _fingerprints.Length)
        {
            // Two Hub ids with the same key (a 64-bit collision): the earlier model's fingerprint can no longer be
            // trusted to be its own, so neither is found; both are read from the store.
            _fingerprints[_ids[slot]] = 0;
            fingerprint = 0;
        }

        _keys[slot] = key;
        _ids[slot] = id;
        if (id >= _fingerprints.Length)
        {
            Array.Resize(ref _fingerprints, Math.Max(id + 1, (int)Math.Min(int.MaxValue, _fingerprints.Length * 3L / 2)));
        }

        _fingerprints[id] = fingerprint;
    }

    private void Grow()
    {
        var (keys, ids) = (_keys, _ids);
        _keys = new ulong[keys.Length * 2];
        _ids = new int[keys.Length * 2];
        for (var i = 0; i < keys.Length; i++)
        {
            if (keys[i] != NoKey)
            {
                var slot = Home(keys[i], _keys.Length);
                while (_keys[slot] != NoKey)
                {
                    slot = Next(slot);
                }

                (_keys[slot], _ids[slot]) = (keys[i], ids[i]);
            }
        }
    }

    private int Next(int slot) => slot + 1 == _keys.Length ? 0 : slot + 1;

    private static ulong Key(string hubId)
    {
        Span<byte> buffer = stackalloc byte[512];
        var bytes = Encoding.UTF8.GetMaxByteCount(hubId.Length) <= buffer.Length ? buffer : new byte[Encoding.UTF8.GetByteCount(hubId)];
        var key = XxHash3.HashToUInt64(bytes[..Encoding.UTF8.GetBytes(hubId, bytes)], KeySeed);
        return key == NoKey ? 1 : key;
    }

    /// <summary>
    /// A model's Hub id and metadata hashed as stored: each value as its kind (none, text, integer) and content; a time
    /// as the text the SQLite provider stores (the writer's comparison, <c>SnapshotWriter.Same</c>, treats them alike).
    /// </summary>
    public sealed class Fingerprint
    {
        private byte[] _buffer = new byte[1024];
        private int _length;

        public void Start(string hubId)
        {
            _length = 0;
            AddText(hubId);
        }

        public void Add(object value)
        {
            switch (value)
            {
                case DBNull:
                    Append(0);
                    break;
                case string text:
                    AddText(text);
                    break;
                case DateTime at:
                    AddText(at.ToString("yyyy-MM-dd HH:mm:ss.FFFFFFF", CultureInfo.InvariantCulture));
                    break;
                case long or int or short:
                    Append(2);
                    Reserve(8);
                    BinaryPrimitives.WriteInt64LittleEndian(_buffer.AsSpan(_length), Convert.ToInt64(value, CultureInfo.InvariantCulture));
                    _length += 8;
                    break;
                default:
                    // A kind the writer never binds: a fingerprint no record matches.
                    AddText(value.GetType().FullName + ":" + Convert.ToString(value, CultureInfo.InvariantCulture));
                    Append(255);
                    break;
            }
        }

        /// <summary>The fingerprint; never 0 (0 marks a model whose fingerprint is not trusted).</summary>
        public ulong Hash()
        {
            var hash = XxHash3.HashToUInt64(_buffer.AsSpan(0, _length), FingerprintSeed);
            return hash == 0 ? 1 : hash;
        }

        private void AddText(string text)
        {
            Append(1);
            Reserve(4 + Encoding.UTF8.GetMaxByteCount(text.Length));
            var written = Encoding.UTF8.GetBytes(text, _buffer.AsSpan(_length + 4));
            BinaryPrimitives.WriteInt32LittleEndian(_buffer.AsSpan(_length), written);
            _length += 4 + written;
        }

        private void Append(byte value)
        {
            Reserve(1);
            _buffer[_length++] = value;
        }

        private void Reserve(int bytes)
        {
            if (_length + bytes > _buffer.Length)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _length + bytes));
            }
        }
    }
}
