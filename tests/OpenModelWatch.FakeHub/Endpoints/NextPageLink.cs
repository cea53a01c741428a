namespace OpenModelWatch.FakeHub.Endpoints;

/// <summary>
/// The <c>Link</c> header of a page with more after it: <c>&lt;absolute URL&gt;; rel="next"</c>, the
/// request's own URL with its query parameters kept as sent, in order, and the cursor replaced. The
/// space after <c>;</c> matters: the JS client's regex requires it.
/// </summary>
internal static class NextPageLink
{
    public static string ToOffset(HttpRequest request, int offset) => Format(request, "cursor=" + PageCursor.Encode(offset));

    /// <summary>
    /// Back to the first page as the client first asked for it (the same URL without a cursor), so a
    /// loop shows as a URL the client has already read, whichever page the fault hit.
    /// </summary>
    public static string ToFirstPage(HttpRequest request) => Format(request, cursor: null);

    private static string Format(HttpRequest request, string? cursor)
    {
        var parameters = (request.QueryString.Value ?? "")
            .TrimStart('?')
            .Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Where(pair => Uri.UnescapeDataString(pair.Split('=', 2)[0]) != "cursor");
        var query = string.Join('&', cursor is null ? parameters : parameters.Append(cursor));
        return $"<{request.Scheme}://{request.Host}{request.PathBase}{request.Path}?{query}>; rel=\"next\"";
    }
}
