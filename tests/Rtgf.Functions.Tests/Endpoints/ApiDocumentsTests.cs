using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Metadata;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Routing.Template;
using Rtgf.Functions.Functions;
using Rtgf.Functions.Http;
using Rtgf.Functions.Tests.Support;
using Rtgf.Tooling;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>
/// The OpenAPI documents the app serves describe exactly its HTTP functions (routes, methods, parameters, bodies), match
/// the committed documents, and the .http examples target routes the functions serve.
/// </summary>
public sealed partial class ApiDocumentsTests(FunctionsApp app) : IClassFixture<FunctionsApp>
{
    public const string RegenerateCommand = "RTGF_UPDATE_OPENAPI=1 dotnet test tests/Rtgf.Functions.Tests --filter OpenApiDocument_MatchesTheCommittedDocument";

    private const string PublicDocument = "/openapi/v1.json";
    private const string OperatorDocument = "/ops/openapi/v1.json";

    private static readonly string Root = RepositoryLayout.FindRoot();
    private static readonly string[] DescribedMethods = ["get", "put", "post", "delete", "options", "patch", "trace"];

    private FunctionIndex Index => app.Services.GetRequiredService<FunctionIndex>();

    [Theory]
    [InlineData(PublicDocument, "rtgf.json")]
    [InlineData(OperatorDocument, "rtgf-ops.json")]
    public async Task OpenApiDocument_MatchesTheCommittedDocument(string url, string file)
    {
        using var client = app.CreateClient();
        var generated = (await client.GetStringAsync(new Uri(url, UriKind.Relative))).ReplaceLineEndings("\n");
        var path = Path.Combine(Root, "docs", "openapi", file);
        if (Environment.GetEnvironmentVariable("RTGF_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, generated);
        }

        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : string.Empty;
        Assert.True(committed == generated, $"docs/openapi/{file} differs from the document the app serves at {url}; regenerate it with: {RegenerateCommand}");
    }

    [Fact]
    public async Task EveryHttpFunction_IsOneOperationPerMethod_AtItsRoute()
    {
        var operations = await OperationsAsync();
        var described = Index.Functions
            .Where(f => f.Trigger == "http" && !f.Method.IsDefined(typeof(ExcludeFromDescriptionAttribute), inherit: false))
            .ToList();

        var expected = described
            .SelectMany(f => f.Methods.Where(m => m != "head").Select(m => (Path: OpenApiPath(f.Route!), Method: m, f.Name)))
            .OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)
            .ToList();
        var actual = operations
            .Select(o => (o.Path, o.Method, Name: o.Operation["operationId"]!.GetValue<string>()))
            .OrderBy(o => o.Name, StringComparer.Ordinal).ThenBy(o => o.Method, StringComparer.Ordinal)
            .ToList();

        Assert.NotEmpty(expected);
        Assert.Equal(expected, actual);
        Assert.Equal(actual.Count, actual.Select(o => o.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.All(operations, o => Assert.Equal(Index[o.Operation["operationId"]!.GetValue<string>()].Area, Assert.Single(o.Operation["tags"]!.AsArray())!.GetValue<string>()));
    }

    [Fact]
    public async Task EveryConsumes_GivesARequiredRequestBody_WithItsSchema()
    {
        var operations = (await OperationsAsync()).ToDictionary(o => o.Operation["operationId"]!.GetValue<string>(), StringComparer.Ordinal);
        var consuming = Index.Functions.Where(f => f.Method.GetCustomAttribute<ConsumesAttribute>() is not null).ToList();

        Assert.NotEmpty(consuming);
        foreach (var function in consuming)
        {
            IAcceptsMetadata consumes = function.Method.GetCustomAttribute<ConsumesAttribute>()!;
            var body = operations[function.Name].Operation["requestBody"];
            Assert.True(body is not null, $"{function.Name} has [Consumes] but no requestBody");
            Assert.True(body["required"]!.GetValue<bool>(), $"{function.Name}'s requestBody is not required");
            Assert.Equal(consumes.ContentTypes.Order(StringComparer.Ordinal), body["content"]!.AsObject().Select(c => c.Key));
            Assert.All(body["content"]!.AsObject(), c => Assert.Equal("#/components/schemas/" + consumes.RequestType!.Name, c.Value!["schema"]!["$ref"]!.GetValue<string>()));
        }

        var withoutConsumes = operations.Values.Where(o => o.Operation["requestBody"] is not null)
            .Select(o => o.Operation["operationId"]!.GetValue<string>())
            .Except(consuming.Select(f => f.Name), StringComparer.Ordinal);
        Assert.Empty(withoutConsumes);
    }

    [Fact]
    public async Task EveryRouteParameter_AndQueryParameter_IsDeclared()
    {
        var operations = await OperationsAsync();

        Assert.Contains(operations, o => o.Path == "/log/tile/{path}");
        foreach (var (path, method, operation) in operations)
        {
            var declared = (operation["parameters"]?.AsArray() ?? []).Select(p => p!).ToList();
            var inPath = RouteParameter().Matches(path).Select(m => m.Groups["name"].Value).ToList();
            Assert.Equal(inPath, declared.Where(p => p["in"]!.GetValue<string>() == "path").Select(p => p["name"]!.GetValue<string>()));
            Assert.All(declared.Where(p => p["in"]!.GetValue<string>() == "path"), p => Assert.True(p["required"]!.GetValue<bool>(), $"{method} {path}: path parameter {p["name"]} is not required"));

            var function = Index[operation["operationId"]!.GetValue<string>()];
            var query = function.Method.GetCustomAttributes<QueryParameterAttribute>().ToList();
            Assert.Equal(
                query.Select(q => (q.Name, q.Type, q.Required)),
                declared.Where(p => p["in"]!.GetValue<string>() == "query")
                    .Select(p => (p["name"]!.GetValue<string>(), p["schema"]!["type"]!.GetValue<string>(), p["required"]?.GetValue<bool>() ?? false)));
        }
    }

    [Fact]
    public async Task EveryReference_NamesAComponentSchema()
    {
        using var client = app.CreateClient();
        foreach (var url in new[] { PublicDocument, OperatorDocument })
        {
            var document = JsonNode.Parse(await client.GetStringAsync(new Uri(url, UriKind.Relative)))!;
            var schemas = document["components"]!["schemas"]!.AsObject().Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
            var references = References(document).ToList();

            Assert.Contains("#/components/schemas/ProblemDetails", references);
            Assert.All(references, r => Assert.Contains(r["#/components/schemas/".Length..], schemas));
        }
    }

    [Fact]
    public async Task OperatorRoutes_AreOnlyInTheOperatorDocument()
    {
        using var client = app.CreateClient();

        var publicPaths = await PathsAsync(client, PublicDocument);
        var operatorPaths = await PathsAsync(client, OperatorDocument);

        Assert.Contains("/verify", publicPaths);
        Assert.DoesNotContain(publicPaths, IsOperatorPath);
        Assert.Contains("/ops/revocations", operatorPaths);
        Assert.All(operatorPaths, p => Assert.True(IsOperatorPath(p), $"{p} is in the operator document"));
    }

    [Fact]
    public async Task OperatorDocument_IsServed_UnderTheAdminKeyFunction()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(OperatorDocument, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
        Assert.Equal("3.1.1", document["openapi"]!.GetValue<string>());
        var function = Index.Functions.Single(f => f.Route == OperatorDocument.TrimStart('/'));
        Assert.Equal("admin", function.AuthLevel);
        Assert.All(document["paths"]!.AsObject().SelectMany(p => p.Value!.AsObject()), o => Assert.NotNull(o.Value!["security"]));
    }

    [Theory]
    [InlineData("/openapi/ops.json")]
    [InlineData("/openapi/operator.json")]
    public async Task PublicOpenApiRoute_ServesNoOtherDocument(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void HttpExamples_TargetServedRoutes()
    {
        var routes = Index.Functions.Where(f => f.Trigger == "http")
            .Select(f => (Matcher: new TemplateMatcher(TemplateParser.Parse(f.Route!), new RouteValueDictionary()), f.Methods))
            .ToList();
        var checkedLines = 0;
        foreach (var file in Directory.EnumerateFiles(Path.Combine(Root, "docs", "http"), "*.http"))
        {
            var lines = File.ReadAllLines(file);
            var variables = lines.Select(l => Variable().Match(l)).Where(m => m.Success).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["value"].Value.Trim(), StringComparer.Ordinal);
            foreach (var match in lines.Select(l => RequestLine().Match(l)).Where(m => m.Success))
            {
                var url = Placeholder().Replace(match.Groups["url"].Value, m => m.Groups["name"].Value == "baseUrl" ? string.Empty : variables[m.Groups["name"].Value]);
                var path = url.Split('?')[0];
                var method = match.Groups["method"].Value.ToLowerInvariant();
                Assert.True(
                    routes.Any(r => r.Methods.Contains(method) && r.Matcher.TryMatch(path, [])),
                    $"{Path.GetFileName(file)}: {match.Groups["method"].Value} {path} matches no HTTP function");
                checkedLines++;
            }
        }

        Assert.True(checkedLines >= 20, $"only {checkedLines} request lines were found in docs/http");
    }

    private static bool IsOperatorPath(string path) => path == "/ops" || path.StartsWith("/ops/", StringComparison.Ordinal);

    /// <summary>A route as OpenAPI writes it: <c>log/tile/{*path}</c> is <c>/log/tile/{path}</c>.</summary>
    private static string OpenApiPath(string route) => "/" + RouteTemplateParameter().Replace(route, m => "{" + m.Groups["name"].Value + "}");

    private async Task<List<(string Path, string Method, JsonNode Operation)>> OperationsAsync()
    {
        using var client = app.CreateClient();
        var operations = new List<(string, string, JsonNode)>();
        foreach (var url in new[] { PublicDocument, OperatorDocument })
        {
            var document = JsonNode.Parse(await client.GetStringAsync(new Uri(url, UriKind.Relative)))!;
            foreach (var (path, item) in document["paths"]!.AsObject())
            {
                foreach (var (method, operation) in item!.AsObject())
                {
                    Assert.Contains(method, DescribedMethods);
                    operations.Add((path, method, operation!));
                }
            }
        }

        return operations;
    }

    private static async Task<List<string>> PathsAsync(HttpClient client, string url) =>
        [.. JsonNode.Parse(await client.GetStringAsync(new Uri(url, UriKind.Relative)))!["paths"]!.AsObject().Select(p => p.Key)];

    private static IEnumerable<string> References(JsonNode? node) => node switch
    {
        JsonObject obj => obj.SelectMany(p => p.Key == "$ref" ? [p.Value!.GetValue<string>()] : References(p.Value)),
        JsonArray array => array.SelectMany(References),
        _ => [],
    };

    [GeneratedRegex(@"\{(?<name>[^}]+)\}")]
    private static partial Regex RouteParameter();

    [GeneratedRegex(@"\{\*{0,2}(?<name>[A-Za-z0-9_]+)[^}]*\}")]
    private static partial Regex RouteTemplateParameter();

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|DELETE|HEAD) (?<url>\S+)$")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"^@(?<name>\w+)\s*=\s*(?<value>.*)$")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\{\{(?<name>\w+)\}\}")]
    private static partial Regex Placeholder();
}
