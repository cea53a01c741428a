using System.Text.Json;

namespace OpenModelWatch.FakeHub.Endpoints;

/// <summary>How the fake Hub writes bodies: JSON, straight to the response pipe.</summary>
internal static class HubResponses
{
    public const string JsonContentType = "application/json; charset=utf-8";

    /// <summary>The Hub's error shape, <c>{"error": "..."}</c>.</summary>
    public static async Task WriteErrorAsync(HttpContext context, int statusCode, string message)
    {
        context.Response.StatusCode = statusCode;
        context.Response.ContentType = JsonContentType;
        await using (var json = new Utf8JsonWriter(context.Response.BodyWriter))
        {
            json.WriteStartObject();
            json.WriteString("error", message);
            json.WriteEndObject();
        }

        await context.Response.BodyWriter.FlushAsync(context.RequestAborted);
    }
}
