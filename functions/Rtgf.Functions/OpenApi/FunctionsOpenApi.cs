using System.Globalization;
using System.Reflection;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Schema;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.ApiExplorer;
using Microsoft.AspNetCore.Mvc.Formatters;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.AspNetCore.WebUtilities;
using Rtgf.Functions.Access;
using Rtgf.Functions.Functions;
using Rtgf.Core.Signing;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Access;

namespace Rtgf.Functions.OpenApi;

/// <summary>
/// Writes the OpenAPI 3.1 documents from the <c>[Function]</c> methods alone (<see cref="FunctionIndex"/> plus each method's
/// <c>[EndpointSummary]</c>, <c>[EndpointDescription]</c>, <c>[Tags]</c>, <c>[ProducesResponseType]</c>, <c>[Consumes]</c> and
/// <c>[QueryParameter]</c>), so the description cannot name a route, method or body the app does not have. Schemas come from
/// <see cref="JsonSchemaExporter"/> over the JSON options the functions serialise with; every object type becomes one
/// <c>components.schemas</c> entry. The output is deterministic (ordinal order throughout) because a test compares it with
/// the committed document. The public document leaves out the operator area (<c>/ops</c>); the operator document has only it.
/// HEAD is not described: every HEAD route is the GET beside it without a body.
/// </summary>
internal static class FunctionsOpenApi
{
    public const string OperatorPath = "/ops";
    public const string KeyScheme = "functionKey";
    public const string ApiKeyScheme = "apiKey";
    public const string ProblemSchema = "ProblemDetails";

    /// <summary>OpenAPI's order of operations within a path item.</summary>
    private static readonly string[] MethodOrder = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

    public static string Write(FunctionIndex index, JsonSerializerOptions json, bool operatorDocument)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(json);

        var areas = index.Areas.Where(a => string.Equals(a.Path, OperatorPath, StringComparison.Ordinal) == operatorDocument).ToList();
        var schemas = new SchemaSet(json);
        var paths = new JsonObject();
        var secured = false;
        var apiKeyed = false;
        var operations = areas.SelectMany(a => a.Functions)
            .Where(f => !f.Method.IsDefined(typeof(ExcludeFromDescriptionAttribute), inherit: false))
            .SelectMany(f => DocumentedMethods(f).Select(m => (Path: ClientPath(f), Method: m, Function: f)))
            .GroupBy(o => o.Path, StringComparer.Ordinal)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var path in operations)
        {
            var item = new JsonObject();
            foreach (var (_, method, function) in path.OrderBy(o => Array.IndexOf(MethodOrder, o.Method)))
            {
                item[method] = Operation(function, method, schemas);
                secured |= IsKeyed(function);
                apiKeyed |= ApiAccessMiddleware.AreaOf(function.Route) is not null;
            }

            paths[path.Key] = item;
        }

        var components = new JsonObject { ["schemas"] = schemas.Components() };
        var schemes = new JsonObject();
        if (apiKeyed)
        {
            schemes[ApiKeyScheme] = new JsonObject
            {
                ["type"] = "http",
                ["scheme"] = "bearer",
                ["bearerFormat"] = "rtgf_<id>_<secret>",
                ["description"] = "The app's own API key (docs/spec/api-keys.md); its scopes are listed per operation.",
            };
        }

        if (secured)
        {
            schemes[KeyScheme] = new JsonObject
            {
                ["type"] = "apiKey",
                ["in"] = "header",
                ["name"] = "x-functions-key",
                ["description"] = "A function key of the app, or for the operator routes the host's admin (master) key.",
            };
        }

        if (schemes.Count > 0)
        {
            components["securitySchemes"] = schemes;
        }

        var document = new JsonObject
        {
            ["openapi"] = "3.1.1",
            ["info"] = new JsonObject
            {
                ["title"] = operatorDocument ? "RTGF operator API" : "RTGF API",
                ["version"] = "v1",
            },
            ["paths"] = paths,
            ["components"] = components,
            ["tags"] = new JsonArray([.. areas.Select(Tag)]),
        };

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            document.WriteTo(writer);
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    /// <summary>The path as OpenAPI writes it: catch-all and constrained parameters reduced to their names.</summary>
    internal static string ClientPath(FunctionEntry function) =>
        "/" + string.Join('/', RoutePatternFactory.Parse(function.Route!).PathSegments.Select(s => string.Concat(s.Parts.Select(p => p switch
        {
            RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            _ => throw new InvalidOperationException($"Route '{function.Route}' has a part OpenAPI cannot describe."),
        }))));

    /// <summary>The methods described for a function: all but HEAD.</summary>
    internal static IEnumerable<string> DocumentedMethods(FunctionEntry function) =>
        function.Methods.Where(m => m != "head").OrderBy(m => Array.IndexOf(MethodOrder, m));

    /// <summary>The operation id: the function name, with the method appended when one function serves several.</summary>
    internal static string OperationId(FunctionEntry function, string method) =>
        DocumentedMethods(function).Count() == 1
            ? function.Name
            : function.Name + char.ToUpperInvariant(method[0]) + method[1..];

    private static bool IsKeyed(FunctionEntry function) => function.AuthLevel is "function" or "admin";

    private static JsonObject Tag(ApiArea area)
    {
        var tag = new JsonObject { ["name"] = area.Name };
        if (area.Functions.Select(f => f.Description).FirstOrDefault(d => d is not null) is { } description)
        {
            tag["description"] = description;
        }

        return tag;
    }

    private static JsonObject Operation(FunctionEntry function, string method, SchemaSet schemas)
    {
        var operation = new JsonObject { ["tags"] = new JsonArray(function.Area!) };
        if (function.Summary is { } summary)
        {
            operation["summary"] = summary;
        }

        if (function.Description is { } description)
        {
            operation["description"] = description;
        }

        operation["operationId"] = OperationId(function, method);
        var parameters = new JsonArray([.. PathParameters(function), .. QueryParameters(function)]);
        if (parameters.Count > 0)
        {
            operation["parameters"] = parameters;
        }

        if (function.Method.GetCustomAttributes().OfType<IAcceptsMetadata>().SingleOrDefault() is { } accepts)
        {
            var content = new JsonObject();
            foreach (var contentType in accepts.ContentTypes.Order(StringComparer.Ordinal))
            {
                content[contentType] = MediaType(accepts.RequestType, contentType, schemas);
            }

            operation["requestBody"] = new JsonObject { ["required"] = !accepts.IsOptional, ["content"] = content };
        }

        operation["responses"] = Responses(function, schemas);
        if (IsKeyed(function))
        {
            operation["security"] = new JsonArray(new JsonObject { [KeyScheme] = new JsonArray() });
        }

        // OpenAPI 3.1 lists role names for non-OAuth schemes: the key's scope. The catalogue also answers without a key
        // (the anonymous tier), which the empty requirement says.
        switch (ApiAccessMiddleware.AreaOf(function.Route))
        {
            case AccessArea.Catalogue:
                operation["security"] = new JsonArray(new JsonObject(), new JsonObject { [ApiKeyScheme] = new JsonArray(ApiScopes.CatalogueRead) });
                break;
            case AccessArea.Mcp:
                operation["security"] = new JsonArray(new JsonObject { [ApiKeyScheme] = new JsonArray(ApiScopes.Mcp) });
                break;
        }

        return operation;
    }

    private static IEnumerable<JsonObject> PathParameters(FunctionEntry function) =>
        RoutePatternFactory.Parse(function.Route!).Parameters.Select(p =>
        {
            var parameter = new JsonObject { ["name"] = p.Name, ["in"] = "path" };
            if (p.IsCatchAll)
            {
                parameter["description"] = "The rest of the path; it may contain '/'.";
            }

            parameter["required"] = true;
            parameter["schema"] = new JsonObject { ["type"] = "string" };
            return parameter;
        });

    private static IEnumerable<JsonObject> QueryParameters(FunctionEntry function) =>
        function.Method.GetCustomAttributes<QueryParameterAttribute>().Select(q =>
        {
            var parameter = new JsonObject { ["name"] = q.Name, ["in"] = "query", ["description"] = q.Description };
            if (q.Required)
            {
                parameter["required"] = true;
            }

            parameter["schema"] = new JsonObject { ["type"] = q.Type };
            return parameter;
        });

    private static JsonObject Responses(FunctionEntry function, SchemaSet schemas)
    {
        var declared = DeclaredResponses(function.Method);
        var responses = new JsonObject();
        if (declared.Count == 0)
        {
            responses["200"] = new JsonObject { ["description"] = ReasonPhrases.GetReasonPhrase(StatusCodes.Status200OK) };
            return responses;
        }

        foreach (var status in declared.GroupBy(d => d.StatusCode).OrderBy(g => g.Key))
        {
            var response = new JsonObject
            {
                ["description"] = status.Select(d => d.Description).FirstOrDefault(d => d is not null) ?? ReasonPhrases.GetReasonPhrase(status.Key),
            };
            var content = new JsonObject();
            foreach (var (type, contentType) in status.SelectMany(d => d.ContentTypes.Select(c => (d.Type, c))).Distinct().OrderBy(x => x.c, StringComparer.Ordinal))
            {
                content[contentType] = MediaType(type, contentType, schemas);
            }

            if (content.Count > 0)
            {
                response["content"] = content;
            }

            responses[status.Key.ToString(CultureInfo.InvariantCulture)] = response;
        }

        return responses;
    }

    /// <summary>
    /// The responses a method declares: MVC's <c>[ProducesResponseType]</c> (which gives its content types only through
    /// <see cref="IApiResponseMetadataProvider"/>) and any other <see cref="IProducesResponseTypeMetadata"/>.
    /// </summary>
    private static List<DeclaredResponse> DeclaredResponses(MethodInfo method) =>
        [.. method.GetCustomAttributes().Select(a => a switch
        {
            ProducesResponseTypeAttribute mvc => new DeclaredResponse(mvc.StatusCode, mvc.Type, mvc.Description, ContentTypes(mvc)),
            IProducesResponseTypeMetadata metadata => new DeclaredResponse(metadata.StatusCode, metadata.Type, metadata.Description, [.. metadata.ContentTypes]),
            _ => null,
        }).OfType<DeclaredResponse>()];

    private static List<string> ContentTypes(IApiResponseMetadataProvider provider)
    {
        var types = new MediaTypeCollection();
        provider.SetContentTypes(types);
        return [.. types];
    }

    private sealed record DeclaredResponse(int StatusCode, Type? Type, string? Description, IReadOnlyList<string> ContentTypes);

    /// <summary>
    /// A media type object: JSON bodies get the type's schema; text bodies a string; binary bodies (<c>byte[]</c> under a
    /// non-JSON type) no schema, as OpenAPI 3.1 describes raw octets.
    /// </summary>
    private static JsonObject MediaType(Type? type, string contentType, SchemaSet schemas)
    {
        if (type is null || type == typeof(void))
        {
            return [];
        }

        var isJson = contentType == "application/json" || contentType.EndsWith("+json", StringComparison.Ordinal);
        if (!isJson && type == typeof(byte[]))
        {
            return [];
        }

        return new JsonObject { ["schema"] = isJson ? schemas.For(type) : new JsonObject { ["type"] = "string" } };
    }

    /// <summary>
    /// The component schemas of one document: each object type once, by a stable name (<c>Page`1[Token]</c> is
    /// <c>PageOfToken</c>), referenced everywhere else. Two types with one name fail the generation rather than overwrite.
    /// </summary>
    private sealed class SchemaSet(JsonSerializerOptions json)
    {
        private readonly SortedDictionary<string, (Type Type, JsonNode Schema)> _components = new(StringComparer.Ordinal);

        public JsonNode For(Type type)
        {
            if (type == typeof(ProblemDetails))
            {
                Add(ProblemSchema, type, ProblemDetailsSchema());
                return Reference(ProblemSchema);
            }

            if (type == typeof(JsonWebKeySet))
            {
                Add(nameof(JsonWebKeySet), type, JsonWebKeySetSchema());
                return Reference(nameof(JsonWebKeySet));
            }

            var exporter = new JsonSchemaExporterOptions { TreatNullObliviousAsNonNullable = true, TransformSchemaNode = Extract };
            try
            {
                return JsonSchemaExporter.GetJsonSchemaAsNode(json, type, exporter);
            }
            catch (Exception ex) when (ex is InvalidOperationException or NotSupportedException)
            {
                throw new InvalidOperationException($"No JSON schema can be exported for {type} (is it written by hand rather than serialised? then describe it in {nameof(FunctionsOpenApi)}): {ex.Message}", ex);
            }
        }

        public JsonObject Components() => new(_components.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value.Schema.DeepClone())));

        /// <summary>Moves an object type's schema into the components and leaves a reference (nullable: or null).</summary>
        private JsonNode Extract(JsonSchemaExporterContext context, JsonNode schema)
        {
            if (schema is JsonObject node && node["$ref"] is JsonValue pointer && pointer.GetValue<string>().StartsWith("#/", StringComparison.Ordinal)
                && !pointer.GetValue<string>().StartsWith("#/components/", StringComparison.Ordinal))
            {
                throw new InvalidOperationException($"{context.TypeInfo.Type} is recursive; the OpenAPI generator does not describe recursive types.");
            }

            if (schema is JsonObject number && NumberFormat(context.TypeInfo.Type) is { } format)
            {
                number["format"] = format;
            }

            if (context.TypeInfo.Kind != JsonTypeInfoKind.Object || schema is not JsonObject obj || context.TypeInfo.Type == typeof(object))
            {
                return schema;
            }

            var nullable = obj["type"] is JsonArray types && types.Any(t => t?.GetValue<string>() == "null");
            if (nullable)
            {
                obj["type"] = "object";
            }

            var name = SchemaName(context.TypeInfo.Type);
            Add(name, context.TypeInfo.Type, obj);
            return nullable
                ? new JsonObject { ["oneOf"] = new JsonArray(new JsonObject { ["type"] = "null" }, Reference(name)) }
                : Reference(name);
        }

        /// <summary>OpenAPI's formats for the number types (the exporter writes none).</summary>
        private static string? NumberFormat(Type type) => (Nullable.GetUnderlyingType(type) ?? type) switch
        {
            var t when t == typeof(int) => "int32",
            var t when t == typeof(long) => "int64",
            var t when t == typeof(float) => "float",
            var t when t == typeof(double) => "double",
            _ => null,
        };

        private void Add(string name, Type type, JsonNode schema)
        {
            if (_components.TryGetValue(name, out var existing))
            {
                if (existing.Type != type)
                {
                    throw new InvalidOperationException($"Schema name '{name}' would describe both {existing.Type} and {type}.");
                }

                return;
            }

            _components[name] = (type, schema.DeepClone());
        }

        private static JsonObject Reference(string name) => new() { ["$ref"] = "#/components/schemas/" + name };

        private static string SchemaName(Type type)
        {
            if (!type.IsGenericType)
            {
                return type.Name;
            }

            var name = type.Name[..type.Name.IndexOf('`', StringComparison.Ordinal)];
            return name + "Of" + string.Join("And", type.GetGenericArguments().Select(SchemaName));
        }

        /// <summary>The JWKS as <see cref="JsonWebKey.WriteTo"/> writes it (canonically, not through the serializer).</summary>
        private static JsonObject JsonWebKeySetSchema()
        {
            static JsonObject Text(string? constant = null, string? description = null)
            {
                var schema = new JsonObject { ["type"] = "string" };
                if (constant is not null)
                {
                    schema["const"] = constant;
                }

                if (description is not null)
                {
                    schema["description"] = description;
                }

                return schema;
            }

            return new JsonObject
            {
                ["type"] = "object",
                ["description"] = "A JWK Set (RFC 7517 section 5) of P-256 signing keys.",
                ["properties"] = new JsonObject
                {
                    ["keys"] = new JsonObject
                    {
                        ["type"] = "array",
                        ["items"] = new JsonObject
                        {
                            ["type"] = "object",
                            ["properties"] = new JsonObject
                            {
                                ["alg"] = Text("ES256"),
                                ["crv"] = Text("P-256"),
                                ["kid"] = Text(),
                                ["kty"] = Text("EC"),
                                [JsonWebKey.CertificateMember] = Text(description: "The certificate of a publication key."),
                                [JsonWebKey.RetiredAtMember] = new JsonObject { ["type"] = "integer", ["description"] = "When the key was retired (Unix seconds)." },
                                [JsonWebKey.StatusMember] = Text(description: "The key's status (current, previous, retired)."),
                                ["use"] = Text("sig"),
                                ["x"] = Text(description: "base64url"),
                                ["y"] = Text(description: "base64url"),
                            },
                            ["required"] = new JsonArray("alg", "crv", "kid", "kty", "use", "x", "y"),
                        },
                    },
                },
                ["required"] = new JsonArray("keys"),
            };
        }

        /// <summary>RFC 9457 Problem Details as the app writes them, with the app's <c>type</c> URIs (<see cref="ProblemTypes"/>).</summary>
        private static JsonObject ProblemDetailsSchema()
        {
            var types = typeof(ProblemTypes).GetFields(BindingFlags.Public | BindingFlags.Static)
                .Where(f => f.IsLiteral)
                .Select(f => (string)f.GetRawConstantValue()!)
                .Order(StringComparer.Ordinal);
            return new JsonObject
            {
                ["type"] = "object",
                ["description"] = "RFC 9457 Problem Details. Members other than these (such as traceId or errors) may appear.",
                ["properties"] = new JsonObject
                {
                    ["type"] = new JsonObject
                    {
                        ["type"] = "string",
                        ["description"] = "The problem type URI; the app's own are listed in docs/spec/api.md.",
                        ["examples"] = new JsonArray([.. types.Select(t => (JsonNode)JsonValue.Create(t))]),
                    },
                    ["title"] = new JsonObject { ["type"] = "string" },
                    ["status"] = new JsonObject { ["type"] = "integer" },
                    ["detail"] = new JsonObject { ["type"] = "string" },
                    ["instance"] = new JsonObject { ["type"] = "string" },
                },
                ["additionalProperties"] = true,
            };
        }
    }
}
