using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Records;
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
    private static Task<LoopbackServer> SearchServerAsync(Func<int, IReadOnlyList<string>> catalogue, int rowsMax = 1000) =>
        LoopbackServer.StartAsync(async (context, number) =>
        {
            var names = catalogue(number);
            var rows = Math.Min(rowsMax, int.Parse(context.Request.Query["rows"]!, CultureInfo.InvariantCulture));
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
        Assert.Equal(5, server.Count); // 2 pages of the abandoned walk, 3 of the whole one (later pages overlap one row)
        Assert.All(server.Received, r => Assert.Contains("q=q&sort=name%20asc&rows=2", r.PathAndQuery, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Search_CountMovesOnEveryWalk_FailsAfterTheLimit()
    {
        await using var server = await SearchServerAsync(n => [.. Enumerable.Range(0, 3 + n).Select(i => "d" + i.ToString(CultureInfo.InvariantCulture))]);
        using var connector = new Connector(server);

        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => new CkanClient(connector.Http, pageSize: 2).PackageSearchAsync("q"));

        Assert.Contains($"the catalogue moved under each of {CkanClient.MaxSearchWalks} walks", error.Message, StringComparison.Ordinal);
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
    [InlineData(403, "Authorization Error")] // CKAN's soft delete (state=deleted) or a private dataset, to an anonymous caller
    [InlineData(404, "Not Found Error")] // purged
    [InlineData(200, "Not Found Error")] // the envelope inside an HTTP 200
    public async Task PackageShow_WithdrawnHiddenOrPurged_IsNull(int status, string type)
    {
        var body = new JsonObject { ["success"] = false, ["error"] = new JsonObject { ["__type"] = type, ["message"] = "Access denied" } }.ToJsonString();
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(body);
        });
        using var connector = new Connector(server);

        Assert.Null(await new CkanClient(connector.Http).PackageShowAsync("gone"));
    }

    [Fact]
    public async Task PackageShow_403OfAnotherKind_IsStillAnError()
    {
        var other = new JsonObject { ["success"] = false, ["error"] = new JsonObject { ["__type"] = "Validation Error", ["message"] = "no" } }.ToJsonString();

        Assert.IsType<UpstreamFormatException>(await ShowFailsAsync(other, 403));
        Assert.IsType<HttpRequestException>(await ShowFailsAsync("<html>blocked</html>", 403));
    }

    [Theory]
    [InlineData("deleted", false)]
    [InlineData("draft", false)]
    [InlineData("active", true)]
    [InlineData(null, false)]
    public async Task PackageShow_AResultNotActiveOrPrivate_IsHidden_Null(string? state, bool isPrivate)
    {
        var dataset = Dataset("a1");
        dataset["state"] = state;
        dataset["private"] = isPrivate;

        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Envelope(dataset));
        });
        using var connector = new Connector(server);
        var client = new CkanClient(connector.Http);

        Assert.Equal(state is "active" or null && !isPrivate, await client.PackageShowAsync("a1") is not null);
    }

    [Fact]
    public async Task PackageShow_ActiveAndPublic_IsShown_AndAPrivateThatIsNotABoolean_IsAFormatError()
    {
        var visible = Dataset("a1");
        visible["state"] = "active";
        visible["private"] = false;
        var odd = Dataset("a1");
        odd["private"] = "no";
        await using var server = await LoopbackServer.StartAsync(async (context, number) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Envelope(number == 1 ? visible : odd));
        });
        using var connector = new Connector(server);
        var client = new CkanClient(connector.Http);

        Assert.NotNull(await client.PackageShowAsync("a1"));
        var error = await Assert.ThrowsAsync<UpstreamFormatException>(() => client.PackageShowAsync("a1"));
        Assert.Contains("'private' is String", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1234", 1234L)]
    [InlineData("1234.0", 1234L)]
    [InlineData("\"1234\"", 1234L)]
    [InlineData("\"1234.0\"", 1234L)]
    [InlineData("12.5", null)]
    [InlineData("-1", null)]
    [InlineData("\"12 KB\"", null)]
    [InlineData("\"\"", null)]
    [InlineData("1e30", null)]
    [InlineData("null", null)]
    public async Task ResourceSize_WholeNumberRead_AnythingElseIsUnknown_NeverFailsTheRun(string json, long? expected)
    {
        var resource = JsonNode.Parse($$"""{"id":"r1","size":{{json}}}""")!;
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Envelope(Dataset("a1", resources: [resource])));
        });
        using var connector = new Connector(server);

        var dataset = (await new CkanClient(connector.Http).PackageShowAsync("a1"))!;

        Assert.Equal(expected, Assert.Single(dataset.Resources).Size);
    }

    [Fact]
    public void Fingerprint_OnlyLastModifiedMovesUnderAnUnchangedHash_FingerprintMoves()
    {
        var before = new DatasetResource("r1", "f.csv", "CSV", "https://data.gov.au/f.csv", new DateTimeOffset(2025, 1, 1, 0, 0, 0, TimeSpan.Zero), "abc123", 100);
        var reuploaded = before with { LastModified = before.LastModified!.Value.AddDays(1) };
        var resized = before with { Size = 101 };
        var rehashed = before with { Hash = "def456" };

        Assert.Equal(4, new[] { before, reuploaded, resized, rehashed }.Select(r => r.Fingerprint).Distinct().Count());
        Assert.Equal(before.Fingerprint, (before with { Name = "renamed" }).Fingerprint);
    }

    [Fact]
    public async Task Search_ADeleteBeforeTheOffsetAndAnInsertAfter_CountUnchanged_IsCaughtByTheOverlap_AndTheWalkStartsAgain()
    {
        // Request 2 (the second page) sees "a" deleted and "z" added: the count stays 4, every row shifts one to the left.
        await using var server = await SearchServerAsync(n => n == 1 ? ["a", "b", "c", "d"] : ["b", "c", "d", "z"]);
        using var connector = new Connector(server);

        var found = await new CkanClient(connector.Http, pageSize: 2).PackageSearchAsync("q");

        Assert.Equal(["b", "c", "d", "z"], found.Select(d => d.Id));
        Assert.Contains("start=1", server.Received[1].PathAndQuery, StringComparison.Ordinal); // the overlap: the last row seen
        Assert.Equal(2 + 3, server.Count); // 2 pages of the abandoned walk; 3 of the whole one (each later page overlaps one row)
    }

    [Fact]
    public async Task Search_AServerReturningFewerRowsThanAsked_StillPagesWhole_StartAdvancesByRowsReturned()
    {
        // rows_max 2 on the server while the client asks for 5.
        var names = Enumerable.Range(0, 7).Select(i => "d" + i.ToString(CultureInfo.InvariantCulture)).ToList();
        await using var server = await SearchServerAsync(_ => names, rowsMax: 2);
        using var connector = new Connector(server);

        var found = await new CkanClient(connector.Http, pageSize: 5).PackageSearchAsync("q");

        Assert.Equal(names, found.Select(d => d.Id));
        Assert.Equal(["0", "1", "2", "3", "4", "5"], server.Received.Select(r => System.Text.RegularExpressions.Regex.Match(r.PathAndQuery, "start=([0-9]+)").Groups[1].Value));
    }

    [Fact]
    public async Task Search_HiddenResults_AreLeftOut()
    {
        await using var server = await LoopbackServer.StartAsync(async (context, _) =>
        {
            var deleted = Dataset("b");
            deleted["state"] = "deleted";
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(Envelope(new JsonObject { ["count"] = 2, ["results"] = new JsonArray(Dataset("a"), deleted) }));
        });
        using var connector = new Connector(server);

        Assert.Equal(["a"], (await new CkanClient(connector.Http).PackageSearchAsync("q")).Select(d => d.Id));
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
