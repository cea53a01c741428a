using System.Buffers.Text;
using System.Globalization;
using System.Text;

namespace OpenModelWatch.FakeHub.Endpoints;

/// <summary>
/// The opaque <c>cursor</c> of a next-page link: an offset, base64url-encoded so clients cannot lean on
/// it. Public so tests and benchmarks can jump to a deep page without walking the listing.
/// </summary>
public static class PageCursor
{
    private const string Prefix = "offset:";

    public static string Encode(int offset) =>
        Base64Url.EncodeToString(Encoding.ASCII.GetBytes(Prefix + offset.ToString(CultureInfo.InvariantCulture)));

    public static bool TryDecode(string? cursor, out int offset)
    {
        offset = 0;
        if (string.IsNullOrEmpty(cursor) || !Base64Url.IsValid(cursor))
        {
            return false;
        }

        var text = Encoding.ASCII.GetString(Base64Url.DecodeFromChars(cursor));
        return text.StartsWith(Prefix, StringComparison.Ordinal)
            && int.TryParse(text.AsSpan(Prefix.Length), NumberStyles.None, CultureInfo.InvariantCulture, out offset);
    }
}
