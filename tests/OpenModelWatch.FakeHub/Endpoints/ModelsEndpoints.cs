using System.Text.Json;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;
using OpenModelWatch.FakeHub.Recorded;

namespace OpenModelWatch.FakeHub.Endpoints;

/// <summary><c>GET /api/models</c> and <c>GET /api/models/{namespace}/{name}</c>.</summary>
internal sealed class ModelsEndpoints(IFakeCatalog catalog, int maxPageSize, FakeHubFaults faults, IReadOnlyDictionary<string, RecordedAnswer> recorded)
{
    public const string ListRoute = "/api/models";
    public const string ModelRoute = "/api/models/{namespace}/{name}";

    // Items per flush to the socket: keeps memory flat on big pages without a syscall per item.
    private const int ItemsPerFlush = 100;

    public void Map(IEndpointRouteBuilder app)
    {
        app.MapGet(ListRoute, ListAsync);
        app.MapGet(ModelRoute, GetAsync);
    }

    private async Task ListAsync(HttpContext context)
    {
        var (query, error) = ListModelsQuery.Parse(context.Request.Query, maxPageSize);
        if (query is null)
        {
            await HubResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, error!);
            return;
        }

        var (page, hasMore) = Page(catalog.List(query.Author, query.Sort), query);
        if (hasMore)
        {
            context.Response.Headers.Link = faults.TakeLinkLoop(context.Request.Path)
                ? NextPageLink.ToFirstPage(context.Request)
                : NextPageLink.ToOffset(context.Request, query.Offset + page.Count);
        }

        context.Response.ContentType = HubResponses.JsonContentType;
        var body = context.Response.BodyWriter;
        await using var json = new Utf8JsonWriter(body);
        json.WriteStartArray();
        for (var i = 0; i < page.Count; i++)
        {
            ModelJson.Write(json, page[i], query.Fields);
            if ((i + 1) % ItemsPerFlush == 0)
            {
                await json.FlushAsync(context.RequestAborted);
                await body.FlushAsync(context.RequestAborted);
            }
        }

        json.WriteEndArray();
        await json.FlushAsync(context.RequestAborted);
        await body.FlushAsync(context.RequestAborted);
    }

    private async Task GetAsync(HttpContext context)
    {
        var (fields, error) = ModelFields.Parse(context.Request.Query);
        if (fields is null)
        {
            await HubResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, error!);
            return;
        }

        var id = $"{context.Request.RouteValues["namespace"]}/{context.Request.RouteValues["name"]}";
        if (recorded.FirstOrDefault(pair => string.Equals(pair.Key, id, StringComparison.OrdinalIgnoreCase)).Value is { } answer)
        {
            context.Response.StatusCode = answer.Status;
            context.Response.ContentType = answer.ContentType;
            if (answer.Location is { } location)
            {
                context.Response.Headers.Location = location;
            }

            context.Response.ContentLength = answer.Body.Length;
            await context.Response.Body.WriteAsync(answer.Body, context.RequestAborted);
            return;
        }

        if (catalog.Find(id) is not { Private: false } model)
        {
            await HubResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, "Repository not found");
            return;
        }

        context.Response.ContentType = HubResponses.JsonContentType;
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            ModelJson.Write(json, new CatalogRecord(model), fields);
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }

    // Without search or filters a page is read by position, O(page) even deep into a million-model
    // listing; with them the listing is scanned, as a filter forces anyway.
    private static (IReadOnlyList<CatalogRecord> Page, bool HasMore) Page(IReadOnlyList<CatalogRecord> listing, ListModelsQuery query)
    {
        if (!query.Narrows)
        {
            var end = (int)Math.Min((long)query.Offset + query.Limit, listing.Count);
            var page = new List<CatalogRecord>(Math.Max(0, end - query.Offset));
            for (var position = query.Offset; position < end; position++)
            {
                page.Add(listing[position]);
            }

            return (page, end < listing.Count);
        }

        var matching = listing.Where(r => query.Matches(r.Model)).Skip(query.Offset).Take(query.Limit + 1).ToList();
        return matching.Count > query.Limit ? (matching[..query.Limit], true) : (matching, false);
    }
}
