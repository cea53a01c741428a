using System.Text.Json;

namespace OpenModelWatch.FakeHub.Recorded;

/// <summary>
/// A real Hub answer recorded elsewhere (status, <c>Content-Type</c>, <c>Location</c> and the body byte for byte),
/// served as it is for one model id: a renamed repository's <c>307</c>, or a real single-model payload.
/// </summary>
public sealed record RecordedAnswer(int Status, string ContentType, string? Location, byte[] Body)
{
    /// <summary>Reads a recording: <paramref name="headersPath"/> is its <c>*.headers.json</c> (status and response headers), <paramref name="bodyPath"/> its body.</summary>
    public static RecordedAnswer Load(string headersPath, string bodyPath)
    {
        using var recording = JsonDocument.Parse(File.ReadAllBytes(headersPath));
        var headers = recording.RootElement.GetProperty("headers");
        string? Header(string name) =>
            headers.EnumerateObject().FirstOrDefault(h => h.NameEquals(name) || string.Equals(h.Name, name, StringComparison.OrdinalIgnoreCase))
                .Value is { ValueKind: JsonValueKind.Array } values ? values[0].GetString() : null;
        return new RecordedAnswer(
            recording.RootElement.GetProperty("status").GetInt32(),
            Header("Content-Type") ?? "application/octet-stream",
            Header("Location"),
            File.ReadAllBytes(bodyPath));
    }
}
