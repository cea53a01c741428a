using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace OpenModelWatch.Web.Security;

/// <summary>
/// Salted, slow hashes of the administrator's secrets: ASP.NET Core Identity's <see cref="PasswordHasher{TUser}"/>
/// (format v3: PBKDF2 with HMAC-SHA512, 100,000 iterations, 128-bit salt), so only a hash is ever configured.
/// </summary>
public static class SecretHash
{
    /// <summary>Shorter secrets are refused by <c>hash-secret</c>: a short password is guessable whatever the hash.</summary>
    public const int MinimumLength = 12;

    private static readonly PasswordHasher<Administrator> _hasher = new(Options.Create(new PasswordHasherOptions
    {
        CompatibilityMode = PasswordHasherCompatibilityMode.IdentityV3,
    }));

    private static readonly Administrator _administrator = new();

    public static string Hash(string secret) => _hasher.HashPassword(_administrator, secret);

    public static bool Verify(string hash, string secret)
    {
        try
        {
            return _hasher.VerifyHashedPassword(_administrator, hash, secret) != PasswordVerificationResult.Failed;
        }
        catch (FormatException)
        {
            return false;
        }
    }

    /// <summary>Whether <paramref name="hash"/> is a v3 hash as <see cref="Hash"/> makes (checked at start).</summary>
    public static bool IsWellFormed(string hash)
    {
        var bytes = new byte[hash.Length];
        // v3: a 0x01 marker, PRF, iteration count and salt length (4 bytes each), a salt of at least 16 bytes, a subkey of at least 16.
        return Convert.TryFromBase64String(hash.Trim(), bytes, out var length) && length >= 1 + 12 + 16 + 16 && bytes[0] == 0x01;
    }

    /// <summary>A fixed-size digest of a secret, for comparing a key already verified without hashing it slowly again.</summary>
    public static byte[] Digest(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private sealed class Administrator;
}
