using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Routing.Template;
using Rtgf.Tooling;

using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>The committed OpenAPI document and the .http examples agree with the routes the app maps.</summary>
public sealed partial class ApiDocumentsTests(FunctionsApp app) : IClassFixture<FunctionsApp>
{
    public const string RegenerateCommand = "RTGF_UPDATE_OPENAPI=1 dotnet test tests/Rtgf.Functions.Tests --filter OpenApiDocument_MatchesTheCommittedDocument";

    private static readonly string Root = RepositoryLayout.FindRoot();

    [Fact]
    public async Task OpenApiDocument_MatchesTheCommittedDocument()
    {
        using var client = app.CreateClient();
        var generated = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!
            .ToJsonString(new JsonSerializerOptions { WriteIndented = true }).ReplaceLineEndings("\n") + "\n";
        var path = Path.Combine(Root, "docs", "openapi", "rtgf.json");
        if (Environment.GetEnvironmentVariable("RTGF_UPDATE_OPENAPI") == "1")
        {
            await File.WriteAllTextAsync(path, generated);
        }

        var committed = File.Exists(path) ? (await File.ReadAllTextAsync(path)).ReplaceLineEndings("\n") : string.Empty;
        Assert.True(committed == generated, $"docs/openapi/rtgf.json differs from the document the app generates; regenerate it with: {RegenerateCommand}");
    }

    [Fact]
    public async Task PublicOpenApiDocument_ListsNoOperatorRoutes()
    {
        using var client = app.CreateClient();

        var document = JsonNode.Parse(await client.GetStringAsync(new Uri("/openapi/v1.json", UriKind.Relative)))!;

        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/verify", paths);
        Assert.DoesNotContain(paths, p => p == "/ops" || p.StartsWith("/ops/", StringComparison.Ordinal));
    }

    [Fact]
    public async Task OperatorOpenApiDocument_ListsOnlyOperatorRoutes_UnderTheAdminKeyFunction()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/ops/openapi/v1.json", UriKind.Relative));
        var document = JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

        Assert.Equal(System.Net.HttpStatusCode.OK, response.StatusCode);
        var paths = document["paths"]!.AsObject().Select(p => p.Key).ToList();
        Assert.Contains("/ops/revocations", paths);
        Assert.All(paths, p => Assert.StartsWith("/ops", p, StringComparison.Ordinal));
        Assert.Equal("admin", Rtgf.Functions.Functions.FunctionIndex.ForApp()["GetOperatorOpenApiDocument"].AuthLevel);
    }

    [Theory]
    [InlineData("/openapi/ops.json")]
    [InlineData("/openapi/operator.json")]
    public async Task PublicOpenApiRoute_ServesNoOtherDocument(string path)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, response.StatusCode);
    }

    [Fact]
    public void HttpExamples_TargetMappedRoutes()
    {
        var routes = app.Services.GetRequiredService<EndpointDataSource>().Endpoints.OfType<RouteEndpoint>()
            .Select(e => (Matcher: new TemplateMatcher(TemplateParser.Parse(e.RoutePattern.RawText!.TrimStart('/')), new RouteValueDictionary()),
                Methods: e.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? []))
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
                var method = match.Groups["method"].Value;
                Assert.True(
                    routes.Any(r => r.Methods.Contains(method) && r.Matcher.TryMatch(path, [])),
                    $"{Path.GetFileName(file)}: {method} {path} matches no mapped route");
                checkedLines++;
            }
        }

        Assert.True(checkedLines >= 20, $"only {checkedLines} request lines were found in docs/http");
    }

    [GeneratedRegex(@"^(?<method>GET|POST|PUT|DELETE|HEAD) (?<url>\S+)$")]
    private static partial Regex RequestLine();

    [GeneratedRegex(@"^@(?<name>\w+)\s*=\s*(?<value>.*)$")]
    private static partial Regex Variable();

    [GeneratedRegex(@"\{\{(?<name>\w+)\}\}")]
    private static partial Regex Placeholder();
}
