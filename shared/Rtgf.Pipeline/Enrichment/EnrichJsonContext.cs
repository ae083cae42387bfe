using System.Text.Json.Serialization;

namespace Rtgf.Pipeline.Enrichment;

/// <summary>Source-generated JSON for the enrichment messages and the run row (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(EnrichPageMessage))]
[JsonSerializable(typeof(EnrichRun))]
public sealed partial class EnrichJsonContext : JsonSerializerContext;
