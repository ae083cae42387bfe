using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rtgf.CustomHandler.Tests;

public sealed record SampleMessage(string Source, int Count);

[JsonSourceGenerationOptions(JsonSerializerDefaults.Web)]
[JsonSerializable(typeof(SampleMessage))]
internal sealed partial class TestJson : JsonSerializerContext;
