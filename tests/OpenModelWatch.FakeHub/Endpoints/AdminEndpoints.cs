using System.Text.Json;
using OpenModelWatch.FakeHub.Faults;

namespace OpenModelWatch.FakeHub.Endpoints;

/// <summary>
/// Endpoints that drive an out-of-process fake: <c>POST /_fake/faults</c> (one <see cref="FaultSpec"/>
/// or an array of them), <c>POST /_fake/reset</c>, <c>GET /_fake/counters</c>. They are neither
/// counted nor rate limited nor faulted.
/// </summary>
internal static class AdminEndpoints
{
    private const string Prefix = "/_fake";
    private static readonly JsonSerializerOptions _json = new(JsonSerializerDefaults.Web);

    public static bool IsAdmin(HttpContext context) => context.Request.Path.StartsWithSegments(Prefix);

    public static void Map(IEndpointRouteBuilder app, FakeHubServer server)
    {
        app.MapPost($"{Prefix}/faults", context => AddFaultsAsync(context, server.Faults));
        app.MapPost($"{Prefix}/reset", context =>
        {
            server.Reset();
            context.Response.StatusCode = StatusCodes.Status204NoContent;
            return Task.CompletedTask;
        });
        app.MapGet($"{Prefix}/counters", context =>
        {
            var counters = server.Counters;
            return context.Response.WriteAsJsonAsync(
                new
                {
                    counters.Requests,
                    counters.TooManyRequests,
                    counters.BytesWritten,
                    counters.RequestsByRoute,
                },
                _json,
                context.RequestAborted);
        });
    }

    private static async Task AddFaultsAsync(HttpContext context, FakeHubFaults faults)
    {
        List<FaultSpec> added;
        try
        {
            using var document = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
            var root = document.RootElement;
            added = root.ValueKind == JsonValueKind.Array
                ? root.Deserialize<List<FaultSpec>>(_json) ?? []
                : [root.Deserialize<FaultSpec>(_json)!];
            added.ForEach(f => f.Validate());
        }
        catch (Exception e) when (e is JsonException or ArgumentException)
        {
            await HubResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, e.Message);
            return;
        }

        added.ForEach(faults.Add);
        await context.Response.WriteAsJsonAsync(faults.Pending, _json, context.RequestAborted);
    }
}
