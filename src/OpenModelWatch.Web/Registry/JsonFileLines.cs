using System.Text.Json.Serialization.Metadata;
using System.Text.Json;

namespace OpenModelWatch.Web.Registry;

/// <summary>
/// Reading the reviewed JSON files (<c>seeds/labs.json</c>, <c>seeds/lineage.json</c>): the file's bytes, the document,
/// and the line numbers their errors name. <c>what</c> in each method is the file's kind in a message
/// ("Lab registry"), and <c>error</c> makes the caller's own exception from a message.
/// </summary>
public static class JsonFileLines
{
    /// <summary>The file's bytes; a file that cannot be read is an error naming it.</summary>
    public static byte[] ReadAll(string path, string what, Func<string, Exception> error)
    {
        try
        {
            return File.ReadAllBytes(path);
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            throw error($"{what} {path}: cannot be read ({exception.Message}).");
        }
    }

    /// <summary>The document; JSON that does not parse is an error naming <paramref name="source"/> and the line.</summary>
    public static T? Deserialize<T>(ReadOnlySpan<byte> json, JsonTypeInfo<T> type, string what, string source, Func<string, Exception> error)
    {
        try
        {
            return JsonSerializer.Deserialize(json, type);
        }
        catch (JsonException exception)
        {
            throw error($"{what} {source}, line {(exception.LineNumber ?? 0) + 1}: not valid JSON ({FirstSentence(exception)}).");
        }
    }

    /// <summary>The 1-based line where each item of the top-level array <paramref name="property"/> starts, in order.</summary>
    public static List<int> ItemStarts(ReadOnlySpan<byte> json, ReadOnlySpan<byte> property)
    {
        var lines = new List<int>();
        var reader = new Utf8JsonReader(json, new JsonReaderOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var inArray = false;
        var line = 1;
        var counted = 0;
        while (reader.Read())
        {
            if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName)
            {
                inArray = reader.ValueTextEquals(property);
            }
            else if (inArray && reader.CurrentDepth == 2 && reader.TokenType is JsonTokenType.StartObject or JsonTokenType.Null)
            {
                var start = (int)reader.TokenStartIndex;
                line += json[counted..start].Count((byte)'\n');
                counted = start;
                lines.Add(line);
                if (reader.TokenType == JsonTokenType.StartObject)
                {
                    reader.Skip();
                }
            }
        }

        return lines;
    }

    /// <summary>A <see cref="JsonException"/>'s message without its path and position (the caller names the line).</summary>
    public static string FirstSentence(JsonException exception)
    {
        var message = exception.Message;
        var path = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (path > 0 ? message[..path] : message).TrimEnd('.');
    }
}
