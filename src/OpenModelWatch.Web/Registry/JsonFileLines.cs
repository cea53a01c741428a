using System.Text.Json;

namespace OpenModelWatch.Web.Registry;

/// <summary>Line numbers for the reviewed JSON files (<c>seeds/labs.json</c>, <c>seeds/lineage.json</c>), so their errors can name the line at fault.</summary>
public static class JsonFileLines
{
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
