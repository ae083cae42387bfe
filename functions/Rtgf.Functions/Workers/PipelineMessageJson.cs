using System.Text.Json;
using System.Text.Json.Serialization;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Workers;

/// <summary>The pipeline queue messages as JSON (web defaults: camelCase, case-insensitive reads).</summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(CompileRequest))]
[JsonSerializable(typeof(QaRequest))]
[JsonSerializable(typeof(PublishRequest))]
internal sealed partial class PipelineMessageJson : JsonSerializerContext;
