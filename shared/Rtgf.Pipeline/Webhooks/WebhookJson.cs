using System.Text.Json.Serialization;

namespace Rtgf.Pipeline.Webhooks;

/// <summary>The bus's queue message as JSON (camelCase, like the pipeline's messages).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(WebhookMessage))]
public sealed partial class WebhookJson : JsonSerializerContext;
