using System.Text.Json.Nodes;

namespace Rtgf.CustomHandler.Invocation;

/// <summary>The handler's answer to an envelope: <c>{"Outputs": {...}, "Logs": [...], "ReturnValue": ...}</c>.</summary>
internal static class InvocationResponse
{
    public static JsonObject From(FunctionContext context) => new()
    {
        // Output names are binding names: written exactly, never case-converted.
        ["Outputs"] = context.Outputs.ToJson(),
        ["Logs"] = new JsonArray([.. context.Logs.Select(l => (JsonNode)JsonValue.Create(l))]),
        ["ReturnValue"] = context.ReturnValue?.DeepClone(),
    };
}
