using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;

namespace OpenModelWatch.FakeHub.Catalogs;

/// <summary>Deterministic stand-ins for the Hub's database id and commit sha.</summary>
internal static class ModelIdentifiers
{
    /// <summary>24 hex digits: 4 bytes of creation time (seconds, big-endian), then 8 bytes hashed from the id.</summary>
    public static string ObjectId(string id, DateTimeOffset createdAt)
    {
        Span<byte> bytes = stackalloc byte[12];
        BinaryPrimitives.WriteUInt32BigEndian(bytes, (uint)createdAt.ToUnixTimeSeconds());
        SHA256.HashData(Encoding.UTF8.GetBytes(id))[..8].CopyTo(bytes[4..]);
        return Convert.ToHexStringLower(bytes);
    }

    /// <summary>40 hex digits, like a git commit sha.</summary>
    public static string Sha(string id) =>
        Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes("sha:" + id))[..20]);
}
