using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Rtgf.Functions.Tests.Support;

namespace Rtgf.Functions.Tests.Traffic;

/// <summary>
/// The traffic log through the real app on Azurite: every request leaves one record (or a counted drop), records carry the
/// route template and never a secret the request carried, and the host's shutdown writes out what is still queued.
/// </summary>
public sealed class TrafficLogTests
{
    [Fact]
    public async Task ConcurrentRequests_EachLeaveOneRecord_NothingDropped()
    {
        const int requests = 2000;
        var azurite = await SharedAzurite.GetAsync();
        var app = new TrafficApp(azurite, azurite.UniqueName("trf"));
        await app.InitializeAsync();
        using (var client = app.CreateClient())
        {
            var answers = new HttpStatusCode[requests];
            await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, ct) =>
            {
                using var response = await client.GetAsync(new Uri("/verify", UriKind.Relative), ct);
                answers[i] = response.StatusCode;
            });
            Assert.All(answers, status => Assert.Equal(HttpStatusCode.OK, status));
        }

        await app.DisposeAsync(); // shutdown writes out the channel

        var rows = await app.LogRowsAsync();
        var records = rows.Where(r => r.GetString("Kind") == "request").ToList();
        Assert.Equal(requests, records.Count);
        Assert.DoesNotContain(rows, r => r.GetString("Kind") == "dropped");
        Assert.All(records, r =>
        {
            Assert.Equal("verify", r.GetString("Route"));
            Assert.Equal("GET", r.GetString("Method"));
            Assert.Equal(200, r.GetInt32("Status"));
            Assert.Equal("anonymous", r.GetString("Plan"));
            Assert.StartsWith("anon-", r.GetString("Caller"), StringComparison.Ordinal);
            Assert.True(r.GetInt64("ResponseBytes") > 0);
        });
        Assert.Equal(requests, records.Select(r => r.RowKey).Distinct(StringComparer.Ordinal).Count());
    }

    [Fact]
    public async Task ATinyChannel_DropsAndCountsWhatItCannotHold_RecordsPlusDropsEqualRequests()
    {
        const int requests = 400;
        var azurite = await SharedAzurite.GetAsync();
        var app = new TrafficApp(azurite, azurite.UniqueName("trf"), new Dictionary<string, string?> { ["Traffic:Capacity"] = "1", ["Traffic:MaxBatch"] = "1" });
        await app.InitializeAsync();
        using (var client = app.CreateClient())
        {
            await Parallel.ForEachAsync(Enumerable.Range(0, requests), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (_, ct) =>
            {
                using var response = await client.GetAsync(new Uri("/verify", UriKind.Relative), ct);
                response.EnsureSuccessStatusCode();
            });
        }

        var recorder = app.Services.GetRequiredService<Rtgf.Functions.Traffic.TrafficRecorder>();
        await app.DisposeAsync();
        var (accepted, dropped) = (recorder.Accepted, recorder.DroppedFull);

        var rows = await app.LogRowsAsync();
        var records = rows.Count(r => r.GetString("Kind") == "request");
        var loggedDrops = rows.Where(r => r.GetString("Kind") == "dropped").Sum(r => r.GetInt64("Full")!.Value + r.GetInt64("Failed")!.Value);
        Assert.Equal(requests, accepted + dropped); // the recorder saw every request
        Assert.Equal(accepted, records);
        Assert.Equal(dropped, loggedDrops); // every drop is in the log
        Assert.Equal(requests, records + loggedDrops);
    }

    [Fact]
    public async Task Secrets_InTheKeyHeaderQueryAndBody_NeverReachARecord()
    {
        var azurite = await SharedAzurite.GetAsync();
        using var issuer = Rtgf.Core.Signing.LocalDevelopmentSigner.Create();
        var app = new TrafficApp(azurite, azurite.UniqueName("trf"), issuer: issuer);
        await app.InitializeAsync();
        string key;
        string keyId;
        const string querySecret = "q5ecret-in-the-query-7f3a";
        const string bearerSecret = "b3arer-secret-not-a-key-91c2";
        const string bodyToken = "eyJhbGciOiJFUzI1NiJ9.eyJib2R5c2VjcmV0IjoxfQ.c2lnbmF0dXJlLXNlY3JldA";
        using (var client = app.CreateClient())
        {
            using var created = await client.PostAsJsonAsync("/ops/api-keys", new { name = "traffic", owner = "tests@example.org", scopes = new[] { "catalogue:read" }, plan = "free" });
            created.EnsureSuccessStatusCode();
            var issued = (await created.Content.ReadFromJsonAsync<JsonObject>())!;
            key = issued["key"]!.GetValue<string>();
            keyId = issued["apiKey"]!["id"]!.GetValue<string>();

            using var keyed = new HttpRequestMessage(HttpMethod.Get, $"/v1?code={querySecret}&api_key={querySecret}");
            keyed.Headers.TryAddWithoutValidation("Authorization", "Bearer " + key);
            using var keyedResponse = await client.SendAsync(keyed);
            Assert.Equal(HttpStatusCode.OK, keyedResponse.StatusCode);

            using var bearer = new HttpRequestMessage(HttpMethod.Get, $"/verify?token={querySecret}");
            bearer.Headers.TryAddWithoutValidation("Authorization", "Bearer " + bearerSecret);
            bearer.Headers.TryAddWithoutValidation("x-functions-key", querySecret);
            (await client.SendAsync(bearer)).Dispose();

            using var body = new StringContent($$"""{"token":"{{bodyToken}}"}""", System.Text.Encoding.UTF8, "application/json");
            using var posted = await client.PostAsync(new Uri($"/verify?sig={querySecret}", UriKind.Relative), body);
            Assert.Equal(HttpStatusCode.OK, posted.StatusCode); // a verdict (not valid: the token is made up), recorded like any request
        }

        await app.DisposeAsync();

        var rows = await app.LogRowsAsync();
        var secretPart = key[(Rtgf.Pipeline.Access.ApiKeySecret.Prefix.Length + Rtgf.Pipeline.Access.ApiKeySecret.IdLength + 1)..];
        string[] secrets = [key, secretPart, querySecret, bearerSecret, bodyToken, "eyJ", "Bearer", "code=", "?"];
        foreach (var row in rows)
        {
            foreach (var (name, value) in row)
            {
                var text = TrafficApp.Text(value);
                Assert.All(secrets, secret => Assert.DoesNotContain(secret, text, StringComparison.Ordinal));
                Assert.All(secrets, secret => Assert.DoesNotContain(secret, name, StringComparison.Ordinal));
            }
        }

        // The records are there (the scan above is not vacuous), with the key's public id and the route templates only.
        var v1 = Assert.Single(rows, r => r.GetString("Route") == "v1");
        Assert.Equal(keyId, v1.GetString("Caller"));
        Assert.Equal("free", v1.GetString("Plan"));
        Assert.Equal(2, rows.Count(r => r.GetString("Route") == "verify"));
        Assert.Contains(rows, r => r.GetString("Route") == "verify" && r.GetString("Method") == "POST" && r.GetInt64("RequestBytes") > bodyToken.Length);
        Assert.Single(rows, r => r.GetString("Route") == "ops/api-keys");
    }
}
