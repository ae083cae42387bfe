using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rtgf.Pipeline.Messages;

/// <summary>
/// The pipeline queue messages as JSON (web defaults: camelCase, case-insensitive reads; absent optional members are not
/// written, so a first publish request is just <c>{"buildId":…}</c>).
/// </summary>
[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(CompileRequest))]
[JsonSerializable(typeof(QaRequest))]
[JsonSerializable(typeof(PublishRequest))]
[JsonSerializable(typeof(StatsCacheRequest))]
public sealed partial class PipelineMessageJson : JsonSerializerContext;
