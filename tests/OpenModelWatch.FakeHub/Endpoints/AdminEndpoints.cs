using System.Text.Json;
using OpenModelWatch.FakeHub.Catalogs;
using OpenModelWatch.FakeHub.Faults;

namespace OpenModelWatch.FakeHub.Endpoints;

/// <summary>
/// Endpoints that drive an out-of-process fake: <c>POST /_fake/faults</c> (one <see cref="FaultSpec"/>
/// or an array of them), <c>POST /_fake/reset</c>, <c>GET /_fake/counters</c>, and for a <see cref="DailyCatalog"/>
/// <c>GET /_fake/day</c> and <c>POST /_fake/day?day=N</c> (or <c>?day=next</c>). They are neither counted nor rate
/// limited nor faulted.
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
        app.MapGet($"{Prefix}/day", context => GetDayAsync(context, server.Catalog));
        app.MapPost($"{Prefix}/day", context => MoveDayAsync(context, server.Catalog));
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

    private static Task GetDayAsync(HttpContext context, IFakeCatalog catalog) =>
        AsDaily(catalog) is { } daily ? WriteDayAsync(context, daily) : NotDailyAsync(context);

    private static async Task MoveDayAsync(HttpContext context, IFakeCatalog catalog)
    {
        if (AsDaily(catalog) is not { } daily)
        {
            await NotDailyAsync(context);
            return;
        }

        var asked = context.Request.Query["day"].ToString();
        int day;
        if (asked == "next")
        {
            day = daily.Day + 1;
        }
        else if (!int.TryParse(asked, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out day) || day > daily.MaxDay)
        {
            await HubResponses.WriteErrorAsync(context, StatusCodes.Status400BadRequest, $"Invalid 'day': '{asked}'. Expected a day from 0 to {daily.MaxDay}, or 'next'.");
            return;
        }

        daily.MoveTo(day);
        await WriteDayAsync(context, daily);
    }

    /// <summary>The day served, its size, and how it differs from the day before.</summary>
    private static Task WriteDayAsync(HttpContext context, DailyCatalog daily)
    {
        var current = daily.Current;
        return context.Response.WriteAsJsonAsync(
            new
            {
                current.Day,
                Date = ModelJson.Timestamp(current.Date),
                Models = current.ModelCount,
                Changes = current.Day == 0 ? null : daily.ChangesOn(current.Day),
            },
            _json,
            context.RequestAborted);
    }

    private static Task NotDailyAsync(HttpContext context) =>
        HubResponses.WriteErrorAsync(context, StatusCodes.Status404NotFound, "This fake Hub's catalog does not change by day (start it with --day N).");

    private static DailyCatalog? AsDaily(IFakeCatalog catalog) => catalog switch
    {
        DailyCatalog daily => daily,
        SwitchableCatalog { Current: DailyCatalog daily } => daily,
        _ => null,
    };

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
