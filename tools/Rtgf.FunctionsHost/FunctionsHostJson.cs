using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Mvc;

namespace Rtgf.FunctionsHost;

[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull, PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(Dictionary<string, string>))]
[JsonSerializable(typeof(ProblemDetails))]
internal sealed partial class FunctionsHostJson : JsonSerializerContext;
