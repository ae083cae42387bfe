using System.Net;
using System.Net.Http.Json;
using System.Text;
using Azure.Data.Tables;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Functions.Tests.Audit;

/// <summary><c>/ops/audit</c> over the real app: API key actions are audited once each, without secrets; paging, filters and bad input.</summary>
public sealed class AuditEndpointsTests(AuditApp app) : IClassFixture<AuditApp>
{
    [Fact]
    public async Task KeyActions_AreAuditedNewestFirst_ARetriedRevokeIsOneEntry_AndNoSecretIsStored()
    {
        var createdAt = app.Clock.GetUtcNow();
        var (key, id) = await app.CreateKeyAsync();
        using var client = app.CreateClient();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        using var rotated = await client.PostAsync(new Uri($"/ops/api-keys/{id}/rotate", UriKind.Relative), null);
        var newKey = (await rotated.ReadObjectAsync())["key"]!.GetValue<string>();
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        using var revoked = await client.PostAsJsonAsync($"/ops/api-keys/{id}/revoke", new { reason = "customer left" });
        app.Clock.Advance(TimeSpan.FromMinutes(1));
        using var again = await client.PostAsJsonAsync($"/ops/api-keys/{id}/revoke", new { reason = "second time" });

        using var response = await client.GetAsync(new Uri("/ops/audit", UriKind.Relative));
        var text = await response.Content.ReadAsStringAsync();
        var entries = (await app.ReadAllAsync()).Where(e => e["subject"]!.GetValue<string>() == id).ToList();

        Assert.Equal(HttpStatusCode.OK, revoked.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal([AuditActions.ApiKeyRevoked, AuditActions.ApiKeyChanged, AuditActions.ApiKeyCreated], entries.Select(e => e["action"]!.GetValue<string>()));
        Assert.All(entries, e => Assert.Equal("admin-key", e["actor"]!.GetValue<string>()));
        Assert.Equal("customer left", entries[0]["details"]!["reason"]!.GetValue<string>());
        Assert.Equal(createdAt.AddMinutes(2), entries[0]["at"]!.GetValue<DateTimeOffset>());
        Assert.Equal("rotated", entries[1]["details"]!["change"]!.GetValue<string>());
        Assert.Equal("catalogue:read", entries[2]["details"]!["scopes"]!.GetValue<string>());
        foreach (var secret in new[] { key, newKey })
        {
            Assert.DoesNotContain(secret[(secret.LastIndexOf('_') + 1)..], text, StringComparison.Ordinal);
        }

        Assert.DoesNotContain("rtgf_", text, StringComparison.Ordinal);

        // The stored rows too, every property name and value (markers included), not only the served page.
        var stored = new StringBuilder();
        await foreach (var row in app.Azurite.TableService().GetTableClient(app.AuditTableName).QueryAsync<TableEntity>())
        {
            foreach (var (name, value) in row)
            {
                stored.Append(name).Append('=').Append(Rtgf.Functions.Tests.Traffic.TrafficApp.Text(value)).Append('\n');
            }
        }

        Assert.Contains(id, stored.ToString(), StringComparison.Ordinal); // the scan is not vacuous
        foreach (var secret in new[] { key, newKey })
        {
            Assert.DoesNotContain(secret[(secret.LastIndexOf('_') + 1)..], stored.ToString(), StringComparison.Ordinal);
        }

        Assert.DoesNotContain("rtgf_", stored.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Paging_WithAnActionFilter_ListsEachEntryOnce_NewestFirst()
    {
        var ids = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(30));
            ids.Add((await app.CreateKeyAsync()).Id);
        }

        var created = await app.ReadAllAsync("&action=" + AuditActions.ApiKeyCreated, limit: 1);
        var subjects = created.Select(e => e["subject"]!.GetValue<string>()).ToList();
        var instants = created.Select(e => e["at"]!.GetValue<DateTimeOffset>()).ToList();

        Assert.Equal(subjects.Count, subjects.Distinct().Count());
        Assert.Subset(subjects.ToHashSet(), ids.ToHashSet());
        Assert.Equal(instants.OrderDescending(), instants);
        Assert.All(created, e => Assert.Equal(AuditActions.ApiKeyCreated, e["action"]!.GetValue<string>()));
        Assert.Empty(await app.ReadAllAsync("&actor=someone-else"));
    }

    [Fact]
    public async Task ACursorFromAnotherFilter_IsA400_NotAStorageError()
    {
        for (var i = 0; i < 2; i++)
        {
            app.Clock.Advance(TimeSpan.FromSeconds(30));
            await app.CreateKeyAsync();
        }

        using var client = app.CreateClient();
        var first = await (await client.GetAsync(new Uri("/ops/audit?limit=1&action=" + AuditActions.ApiKeyCreated, UriKind.Relative))).ReadObjectAsync();
        var cursor = first["nextCursor"]!.GetValue<string>();

        using var sameFilter = await client.GetAsync(new Uri($"/ops/audit?limit=1&action={AuditActions.ApiKeyCreated}&cursor={cursor}", UriKind.Relative));
        using var otherFilter = await client.GetAsync(new Uri($"/ops/audit?limit=1&action={AuditActions.ApiKeyRevoked}&cursor={cursor}", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, sameFilter.StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, otherFilter.StatusCode);
        Assert.Equal("urn:rtgf:problem:invalid-request", (await otherFilter.ReadObjectAsync())["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("limit=0")]
    [InlineData("limit=201")]
    [InlineData("limit=ten")]
    [InlineData("from=yesterday")]
    [InlineData("from=2026-12-01")]
    [InlineData("from=2026-12-01T00:00:00")]
    [InlineData("from=2026-12-05T00:00:00Z&to=2026-12-01T00:00:00Z")]
    [InlineData("from=2020-01-01T00:00:00Z&to=2026-12-01T00:00:00Z")]
    [InlineData("actor=a%01b")]
    [InlineData("action=")]
    [InlineData("cursor=!!!")]
    [InlineData("cursor=MADE-UP")]
    public async Task BadInput_IsA400Problem(string query)
    {
        using var client = app.CreateClient();
        var madeUp = Convert.ToBase64String(Encoding.UTF8.GetBytes("a1.e-3155378975999999998-0123456789abcdef0123456789abcdef.0123456789abcdef01234567"))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

        using var response = await client.GetAsync(new Uri("/ops/audit?" + query.Replace("MADE-UP", madeUp, StringComparison.Ordinal), UriKind.Relative));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("urn:rtgf:problem:invalid-request", (await response.ReadObjectAsync())["type"]!.GetValue<string>());
    }
}
