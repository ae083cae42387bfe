using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rtgf.Functions.Tests.Contract;

public sealed record StrictMessage(string Source, int Count);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web, UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow)]
[JsonSerializable(typeof(StrictMessage))]
internal sealed partial class ContractJson : JsonSerializerContext;
