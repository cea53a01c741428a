using System.Text.Json.Serialization;

namespace OpenModelWatch.Hub;

[JsonSerializable(typeof(List<HubModel>))]
[JsonSerializable(typeof(HubModel))]
internal sealed partial class HubJsonContext : JsonSerializerContext;
