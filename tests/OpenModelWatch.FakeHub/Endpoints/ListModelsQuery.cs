using System.Globalization;
using OpenModelWatch.FakeHub.Catalogs;

namespace OpenModelWatch.FakeHub.Endpoints;

/// <summary>A validated <c>GET /api/models</c> request.</summary>
internal sealed record ListModelsQuery(
    string? Author,
    string? Search,
    IReadOnlyList<string> Filters,
    string? PipelineTag,
    ModelSort Sort,
    int Limit,
    int Offset,
    IReadOnlyList<ModelField> Fields)
{
    /// <summary>True when the listing must be scanned rather than indexed into.</summary>
    public bool Narrows => Search is not null || Filters.Count > 0 || PipelineTag is not null;

    /// <summary>
    /// Reads the query as the Hub does: <c>limit</c> defaults to, and is capped at, the page size;
    /// <c>direction</c> and unknown parameters are ignored; bad values give an error message.
    /// </summary>
    public static (ListModelsQuery? Query, string? Error) Parse(IQueryCollection query, int maxPageSize)
    {
        var (fields, fieldsError) = ModelFields.Parse(query);
        if (fields is null)
        {
            return (null, fieldsError);
        }

        var limit = maxPageSize;
        if (query.TryGetValue("limit", out var limitText))
        {
            if (!long.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out var asked) || asked < 1)
            {
                return (null, $"Invalid 'limit': '{limitText}'. Expected a positive integer.");
            }

            limit = (int)Math.Min(asked, maxPageSize);
        }

        var sort = ModelSort.None;
        if (query.TryGetValue("sort", out var sortText) && !ModelSorts.ByQueryValue.TryGetValue(sortText.ToString(), out sort))
        {
            return (null, $"Invalid 'sort': '{sortText}'. Expected one of: {string.Join(", ", ModelSorts.ByQueryValue.Keys)}.");
        }

        var offset = 0;
        if (query.TryGetValue("cursor", out var cursor) && !PageCursor.TryDecode(cursor, out offset))
        {
            return (null, "Invalid 'cursor'.");
        }

        return (new ListModelsQuery(
            NonEmpty(query["author"]),
            NonEmpty(query["search"]),
            [.. query["filter"].Where(f => !string.IsNullOrEmpty(f)).Select(f => f!)],
            NonEmpty(query["pipeline_tag"]),
            sort,
            limit,
            offset,
            fields), null);
    }

    public bool Matches(FakeModel model) =>
        (Search is null || model.Id.Contains(Search, StringComparison.OrdinalIgnoreCase))
        && (PipelineTag is null || model.PipelineTag == PipelineTag)
        && Filters.All(model.Tags.Contains);

    private static string? NonEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
