using System.Text;
using System.Text.Json;
using Rtgf.Functions.Functions;

namespace Rtgf.Functions.OpenApi;

/// <summary>
/// Placeholder until the OpenAPI generator over the <c>[Function]</c> methods lands (issue 14, written separately): a
/// valid OpenAPI 3.1 document with each HTTP function's path, methods, operation id, summary and tag, and no schemas.
/// The public document leaves out the operator area (<c>/ops</c>); the operator document has only it.
/// </summary>
internal static class FunctionsOpenApi
{
    private const string OperatorPath = "/ops";

    public static string Write(FunctionIndex index, bool operatorDocument)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("openapi", "3.1.1");
            json.WriteStartObject("info");
            json.WriteString("title", operatorDocument ? "RTGF operator API" : "RTGF API");
            json.WriteString("version", "v1");
            json.WriteEndObject();
            json.WriteStartObject("paths");
            var functions = index.Areas
                .Where(a => string.Equals(a.Path, OperatorPath, StringComparison.Ordinal) == operatorDocument)
                .SelectMany(a => a.Functions)
                .Where(f => !f.Method.IsDefined(typeof(Microsoft.AspNetCore.Routing.ExcludeFromDescriptionAttribute), inherit: false));
            foreach (var path in functions.GroupBy(f => f.Path!.Replace("{*", "{", StringComparison.Ordinal), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
            {
                json.WriteStartObject(path.Key);
                foreach (var (method, function) in path.SelectMany(f => f.Methods.Where(m => m != "head").Select(m => (m, f))).OrderBy(x => x.m, StringComparer.Ordinal))
                {
                    json.WriteStartObject(method);
                    json.WriteString("operationId", function.Name);
                    if (function.Summary is { } summary)
                    {
                        json.WriteString("summary", summary);
                    }

                    json.WriteStartArray("tags");
                    json.WriteStringValue(function.Area);
                    json.WriteEndArray();
                    json.WriteStartObject("responses");
                    json.WriteStartObject("200");
                    json.WriteString("description", "OK");
                    json.WriteEndObject();
                    json.WriteEndObject();
                    json.WriteEndObject();
                }

                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }
}
