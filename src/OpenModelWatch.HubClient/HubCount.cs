using System.Text.Json;
using System.Text.Json.Serialization;

namespace OpenModelWatch.Hub;

public enum HubCountState
{
    /// <summary>The property was not in the record.</summary>
    Missing,
    Null,
    /// <summary>Present but not an integer (a string, a fraction, an object, out of range).</summary>
    Invalid,
    Valid,
}

/// <summary>
/// A count as the Hub sent it. Keeps "absent", "null" and "not a number" apart from a real value, so the
/// ingestion can reject a record, or leave one of its counts unknown, with its reason instead of the whole page failing
/// to parse.
/// </summary>
[JsonConverter(typeof(HubCountConverter))]
public readonly record struct HubCount(HubCountState State, long Value)
{
    public static HubCount Of(long value) => new(HubCountState.Valid, value);

    public bool IsValid => State == HubCountState.Valid;

    public override string ToString() => State == HubCountState.Valid ? Value.ToString(System.Globalization.CultureInfo.InvariantCulture) : State.ToString();
}

public sealed class HubCountConverter : JsonConverter<HubCount>
{
    public override bool HandleNull => true;

    public override HubCount Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return new HubCount(HubCountState.Null, 0);
            case JsonTokenType.Number when reader.TryGetInt64(out var whole):
                return HubCount.Of(whole);
            case JsonTokenType.Number when reader.TryGetDouble(out var real) && real == Math.Floor(real) && Math.Abs(real) < 9e15:
                return HubCount.Of((long)real);
            default:
                // Skip() throws on partial input (a page read from a stream); the serializer has buffered the whole
                // value for this converter, so TrySkip() always succeeds here, and primitives need no skipping.
                if (reader.TokenType is JsonTokenType.StartObject or JsonTokenType.StartArray)
                {
                    reader.TrySkip();
                }

                return new HubCount(HubCountState.Invalid, 0);
        }
    }

    public override void Write(Utf8JsonWriter writer, HubCount value, JsonSerializerOptions options)
    {
        if (value.IsValid)
        {
            writer.WriteNumberValue(value.Value);
        }
        else
        {
            writer.WriteNullValue();
        }
    }
}
