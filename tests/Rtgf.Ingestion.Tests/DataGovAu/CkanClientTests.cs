using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Tests.Support;

namespace Rtgf.Ingestion.Tests.DataGovAu;

/// <summary>The CKAN client against scripted answers: the strict envelope and fields, and a catalogue that moves while it is paged.</summary>
public sealed class CkanClientTests
{
    private static JsonObject Dataset(string id, string? name = null, string? modified = "2025-06-03T01:22:10.123456", JsonArray? resources = null)
    {
        var dataset = new JsonObject { ["id"] = id, ["name"] = name ?? "ds-" + id, ["resources"] = resources ?? [] };
        if (modified is not null)
        {
            dataset["metadata_modified"] = modified;
        }

        return dataset;
    }

    private static string Envelope(JsonNode result) => new JsonObject { ["help"] = "h", ["success"] = true, ["result"] = result }.ToJsonString();

    private static async Task<Exception> ShowFailsAsync(string body, int status = 200)
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
        using var connector = new Connector(server);
        return await Record.ExceptionAsync(() => new CkanClient(connector.Http).PackageShowAsync("x"));
    }

    [Theory]
    [InlineData("id", "has no 'id'")]
    [InlineData("name", "dataset a1 has no 'name'")]
    [InlineData("metadata_modified", "dataset a1 has no 'metadata_modified'")]
    public async Task Dataset_WithoutARequiredField_IsAFormatErrorNamingDatasetAndField(string field, string expected)
    {
        var dataset = Dataset("a1");
        dataset.Remove(field);

        var error = Assert.IsType<UpstreamFormatException>(await ShowFailsAsync(Envelope(dataset)));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.Contains("package_show x", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResourceWithoutId_AndABadModifiedDate_AreFormatErrors()
    {
        var noId = Assert.IsType<UpstreamFormatException>(await ShowFailsAsync(Envelope(Dataset("a1", resources: [new JsonObject { ["name"] = "f.csv" }]))));
        var badDate = Assert.IsType<UpstreamFormatException>(await ShowFailsAsync(Envelope(Dataset("a1", modified: "last Tuesday"))));

        Assert.Contains("dataset a1: resources[0] has no 'id'", noId.Message, StringComparison.Ordinal);
        Assert.Contains("'metadata_modified' is 'last Tuesday'", badDate.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(200)]
    [InlineData(409)]
    public async Task SuccessFalse_OtherThanNotFound_IsAFormatErrorNamingTheType(int status)
    {
        var body = new JsonObject { ["success"] = false, ["error"] = new JsonObject { ["__type"] = "Validation Error", ["message"] = "id: Missing value" } }.ToJsonString();

        var error = Assert.IsType<UpstreamFormatException>(await ShowFailsAsync(body, status));

        Assert.Contains("Validation Error: id: Missing value", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NotFound_WithoutTheEnvelope_IsAnHttpError_NotAWithdrawal()
    {
        var error = Assert.IsType<HttpRequestException>(await ShowFailsAsync("<html>not here</html>", 404));

        Assert.Equal(System.Net.HttpStatusCode.NotFound, error.StatusCode);
    }

    [Fact]
    public async Task ResourceWithoutHashOrModified_IsNormal_ParsedAsNone()
    {
        var resources = new JsonArray(new JsonObject { ["id"] = "r1", ["hash"] = "", ["last_modified"] = null, ["size"] = null, ["url"] = "http://x/f.csv" });
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Envelope(Dataset("a1", resources: resources)));
        });
        using var connector = new Connector(server);

        var dataset = (await new CkanClient(connector.Http).PackageShowAsync("a1"))!;

        var resource = Assert.Single(dataset.Resources);
        Assert.Equal(("r1", null, null, null), (resource.Id, resource.Hash, resource.LastModified, resource.Size));
        Assert.Equal(new DateTimeOffset(2025, 6, 3, 1, 22, 10, TimeSpan.Zero).AddTicks(1_234_560), dataset.MetadataModified);
    }

    [Theory]
    [InlineData("last_modified")]
    [InlineData("created")]
    public async Task ResourceDate_NotAnInstant_IsAFormatErrorNamingTheResourceAndField(string field)
    {
        var error = Assert.IsType<UpstreamFormatException>(await ShowFailsAsync(Envelope(Dataset("a1", resources: [new JsonObject { ["id"] = "r1", [field] = "yesterday" }]))));

        Assert.Contains($"dataset a1 resource r1: '{field}' is 'yesterday', not an ISO 8601 instant", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ResourceCreated_IsReadAsUtc()
    {
        var dataset = Dataset("a1", resources: [new JsonObject { ["id"] = "r1", ["created"] = "2024-11-01T09:30:00.5" }]);

        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Envelope(dataset));
        });
        using var connector = new Connector(server);
        var shown = (await new CkanClient(connector.Http).PackageShowAsync("a1"))!;

        Assert.Equal(new DateTimeOffset(2024, 11, 1, 9, 30, 0, 500, TimeSpan.Zero), Assert.Single(shown.Resources).Created);
    }

    /// <summary>Serves <paramref name="catalogue"/>(request number) paged by the request's rows/start, by name.</summary>
    private static Task<LoopbackServer> SearchServerAsync(Func<int, IReadOnlyList<string>> catalogue) =>
        LoopbackServer.StartAsync(async (context, number) =>
        {
            var names = catalogue(number);
            var rows = int.Parse(context.Request.Query["rows"]!, CultureInfo.InvariantCulture);
            var start = int.Parse(context.Request.Query["start"]!, CultureInfo.InvariantCulture);
            Assert.Equal("name asc", context.Request.Query["sort"].ToString());
            var page = new JsonArray([.. names.Order(StringComparer.Ordinal).Skip(start).Take(rows).Select(n => (JsonNode)Dataset(n, n))]);
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Envelope(new JsonObject { ["count"] = names.Count, ["results"] = page }));
        });

    [Fact]
    public async Task Search_CountMovesBetweenPages_TheWalkStartsAgain_AndReturnsTheWholeNewList()
    {
        // Request 2 (the second page of the first walk) sees a dataset added before the first page's offset.
        await using var server = await SearchServerAsync(n => n == 1 ? ["b", "c", "d"] : ["a", "b", "c", "d"]);
        using var connector = new Connector(server);

        var found = await new CkanClient(connector.Http, pageSize: 2).PackageSearchAsync("q");

        Assert.Equal(["a", "b", "c", "d"], found.Select(d => d.Id).Order(StringComparer.Ordinal));
        Assert.Equal(4, server.Count); // 2 pages of the abandoned walk, 2 of the whole one
        Assert.All(server.Received, r => Assert.Contains("q=q&sort=name%20asc&rows=2", r.PathAndQuery, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_CountMovesOnEveryWalk_FailsAfterTheLimit()
    {
        await using var server = await SearchServerAsync(n => [.. Enumerable.Range(0, 3 + n).Select(i => "d" + i.ToString(CultureInfo.InvariantCulture))]);
        using var connector = new Connector(server);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => new CkanClient(connector.Http, pageSize: 2).PackageSearchAsync("q"));

        Assert.Contains($"moved during each of {CkanClient.MaxSearchWalks} walks", error.Message, StringComparison.Ordinal);
        Assert.Equal(2 * CkanClient.MaxSearchWalks, server.Count);
    }

    [Fact]
    public async Task Search_MatchingMoreThanTheMaximum_FailsNamingTheQuery()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Envelope(new JsonObject { ["count"] = CkanClient.MaxSearchResults + 1, ["results"] = new JsonArray(Dataset("a")) }));
        });
        using var connector = new Connector(server);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => new CkanClient(connector.Http).PackageSearchAsync("training"));

        Assert.Contains("q='training'", error.Message, StringComparison.Ordinal);
        Assert.Contains("narrow the search", error.Message, StringComparison.Ordinal);
        Assert.Equal(1, server.Count);
    }

    [Theory]
    [InlineData(null, MagdaWatch.Default)]
    [InlineData(" dataset:cricos ; search:NCVER VET ;", "dataset:cricos;search:NCVER VET")]
    public void WatchList_ParsedInOrder_DefaultWhenUnset(string? setting, string expected) =>
        Assert.Equal(expected, string.Join(';', MagdaWatch.Parse(setting)));

    [Theory]
    [InlineData("cricos", "'cricos'")]
    [InlineData("dataset:cricos;magda:VET", "'magda:VET'")]
    [InlineData("search:", "'search:'")]
    [InlineData("dataset:cricos;dataset:cricos", "'dataset:cricos' twice")]
    public void WatchList_BadEntry_IsAConfigurationErrorNamingTheSetting(string setting, string expected)
    {
        var error = Assert.Throws<InvalidOperationException>(() => MagdaWatch.Parse(setting));

        Assert.Contains("'Magda:Watch'", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }
}
