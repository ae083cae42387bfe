using System.Text.Json.Serialization;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Pipeline.Ingest;

/// <summary>Source-generated JSON for the ingest messages and the steps column (camelCase).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(TgaIngestBatch))]
[JsonSerializable(typeof(List<TgaIngestBatch>))]
[JsonSerializable(typeof(CompileRequest))]
[JsonSerializable(typeof(List<IngestStep>))]
public sealed partial class IngestJsonContext : JsonSerializerContext;
