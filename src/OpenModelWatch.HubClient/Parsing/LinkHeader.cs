using System.Net.Http.Headers;

namespace OpenModelWatch.Hub.Parsing;

/// <summary>GitHub-style pagination: <c>Link: &lt;https://…&amp;cursor=…&gt;; rel="next"</c>.</summary>
public static class LinkHeader
{
    public static Uri? Next(HttpResponseHeaders headers) =>
        headers.TryGetValues("Link", out var values) ? ParseNext(string.Join(", ", values)) : null;

    /// <summary>The absolute URL whose <c>rel</c> is <c>next</c>, or null when there is none.</summary>
    public static Uri? ParseNext(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        var position = 0;
        while (position < value.Length)
        {
            var open = value.IndexOf('<', position);
            if (open < 0)
            {
                return null;
            }

            var close = value.IndexOf('>', open + 1);
            if (close < 0)
            {
                return null;
            }

            var target = value[(open + 1)..close];
            var nextLink = value.IndexOf('<', close + 1);
            var parameters = nextLink < 0 ? value[(close + 1)..] : value[(close + 1)..nextLink];
            if (HasRelNext(parameters) && Uri.TryCreate(target, UriKind.Absolute, out var uri)
                && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
            {
                return uri;
            }

            position = nextLink < 0 ? value.Length : nextLink;
        }

        return null;
    }

    private static bool HasRelNext(string parameters)
    {
        foreach (var rawPart in parameters.Split([';', ','], StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = rawPart.IndexOf('=');
            if (equals < 0 || !rawPart[..equals].Trim().Equals("rel", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rels = rawPart[(equals + 1)..].Trim().Trim('"');
            if (rels.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains("next", StringComparer.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }
}
