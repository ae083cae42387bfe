using System.Text.Json.Serialization;

namespace Rtgf.Pipeline.Comms;

/// <summary>The comms queue's message as JSON (camelCase, like the pipeline's messages; the channel as its name).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CommsRequest))]
public sealed partial class CommsJson : JsonSerializerContext;
