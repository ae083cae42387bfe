using System.Buffers.Text;
using System.Net;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.KeyVaultStandIn;
using Rtgf.Testing;

namespace Rtgf.Azure.Tests.KeyVault;

/// <summary>The stand-in's contract, checked with raw HTTP: paths, api-version, JSON shapes, error bodies, challenge, 429.</summary>
public sealed class KeyVaultStandInServerTests
{
    private const string Api = "?api-version=7.5";

    [Fact]
    public async Task Request_WithoutBearerToken_Is401ChallengeNamingAuthorityAndResource()
    {
        await using var server = await StandIn.StartAsync();
        using var http = StandIn.RawClient(server);

        using var response = await http.GetAsync("keys/k1" + Api);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        var challenge = Assert.Single(response.Headers.WwwAuthenticate);
        Assert.Equal("Bearer", challenge.Scheme);
        Assert.Contains("authorization=\"https://login.microsoftonline.com/72f988bf-86f1-41af-91ab-2d7cd011db47\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Contains("resource=\"https://vault.azure.net\"", challenge.Parameter, StringComparison.Ordinal);
        Assert.Equal("Unauthorized", (await ErrorAsync(response))["code"]!.GetValue<string>());
        Assert.Equal(1, server.ChallengeCount);
        Assert.Equal(0, server.CallCount(KeyVaultOperation.GetKey));
    }

    [Fact]
    public async Task Request_WithTokenOtherThanExpected_Is401Unauthorized()
    {
        await using var server = await StandIn.StartAsync(expectedToken: "the-right-one");
        using var http = StandIn.RawClient(server);

        using var wrong = await SendAsync(http, HttpMethod.Get, "keys/k1" + Api, token: "another");
        using var right = await SendAsync(http, HttpMethod.Get, "keys/k1" + Api, token: "the-right-one");

        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        Assert.Equal("Unauthorized", (await ErrorAsync(wrong))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, right.StatusCode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("?api-version=7.9")]
    [InlineData("?api-version=")]
    public async Task Request_WithMissingOrUnsupportedApiVersion_Is400BadParameter(string query)
    {
        await using var server = await StandIn.StartAsync();
        using var http = StandIn.RawClient(server);

        using var response = await SendAsync(http, HttpMethod.Get, "keys/k1" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal("BadParameter", error["code"]!.GetValue<string>());
        Assert.Contains("version", error["message"]!.GetValue<string>(), StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Secrets_EverySetIsANewVersion_LatestAndVersionsReadBack_AndUnknownIsSecretNotFound()
    {
        await using var server = await StandIn.StartAsync();
        using var http = StandIn.RawClient(server);

        var first = await JsonAsync(await SendAsync(http, HttpMethod.Put, "secrets/qb-refresh?api-version=2026-04-01", """{"value":"one","contentType":"text/plain"}"""));
        var second = await JsonAsync(await SendAsync(http, HttpMethod.Put, "secrets/qb-refresh?api-version=2026-04-01", """{"value":"two"}"""));
        var latest = await JsonAsync(await SendAsync(http, HttpMethod.Get, "secrets/qb-refresh/?api-version=2026-04-01"));
        var firstId = first["id"]!.GetValue<string>();
        var old = await JsonAsync(await SendAsync(http, HttpMethod.Get, firstId[server.VaultUri.AbsoluteUri.Length..] + "?api-version=2026-04-01"));
        using var missing = await SendAsync(http, HttpMethod.Get, "secrets/nope?api-version=2026-04-01");
        using var noValue = await SendAsync(http, HttpMethod.Put, "secrets/qb-refresh?api-version=2026-04-01", """{"contentType":"x"}""");

        Assert.Matches("^" + server.VaultUri.AbsoluteUri.Replace(".", "\\.", StringComparison.Ordinal) + "secrets/qb-refresh/[0-9a-f]{32}$", firstId);
        Assert.NotEqual(firstId, second["id"]!.GetValue<string>());
        Assert.Equal("text/plain", first["contentType"]!.GetValue<string>());
        Assert.True(first["attributes"]!["enabled"]!.GetValue<bool>());
        Assert.Equal("two", latest["value"]!.GetValue<string>());
        Assert.Equal(second["id"]!.GetValue<string>(), latest["id"]!.GetValue<string>());
        Assert.Equal("one", old["value"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal("SecretNotFound", (await ErrorAsync(missing))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.BadRequest, noValue.StatusCode);
        Assert.Equal(3, server.CallCount(KeyVaultOperation.SetSecret)); // the refused set is counted too (it passed authentication)
    }

    [Fact]
    public async Task CreateKey_ReturnsKeyBundleWithPublicJwkAttributesAndTags()
    {
        var clock = new ManualTimeProvider(StandIn.Start);
        await using var server = await StandIn.StartAsync(clock);
        using var http = StandIn.RawClient(server);

        using var response = await SendAsync(http, HttpMethod.Post, "keys/issuer/create?api-version=2025-07-01",
            """{"kty":"EC-HSM","crv":"P-256","key_ops":["sign","verify"],"attributes":{"enabled":true},"tags":{"purpose":"tokens"}}""");
        var bundle = await JsonAsync(response);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var key = bundle["key"]!.AsObject();
        var kid = key["kid"]!.GetValue<string>();
        Assert.Matches("^" + server.VaultUri.AbsoluteUri.Replace(".", "\\.", StringComparison.Ordinal) + "keys/issuer/[0-9a-f]{32}$", kid);
        Assert.Equal("EC-HSM", key["kty"]!.GetValue<string>());
        Assert.Equal("P-256", key["crv"]!.GetValue<string>());
        Assert.Equal(["sign", "verify"], key["key_ops"]!.AsArray().Select(o => o!.GetValue<string>()));
        Assert.Equal(32, Base64Url.DecodeFromChars(key["x"]!.GetValue<string>()).Length);
        Assert.Equal(32, Base64Url.DecodeFromChars(key["y"]!.GetValue<string>()).Length);
        Assert.Null(key["d"]);
        var attributes = bundle["attributes"]!.AsObject();
        Assert.True(attributes["enabled"]!.GetValue<bool>());
        Assert.Equal(StandIn.Start.ToUnixTimeSeconds(), attributes["created"]!.GetValue<long>());
        Assert.Equal(StandIn.Start.ToUnixTimeSeconds(), attributes["updated"]!.GetValue<long>());
        Assert.Equal("Recoverable+Purgeable", attributes["recoveryLevel"]!.GetValue<string>());
        Assert.Equal("tokens", bundle["tags"]!["purpose"]!.GetValue<string>());
    }

    [Fact]
    public async Task KeyVersions_SameCallsOnTwoServers_AreTheSame()
    {
        await using var first = await StandIn.StartAsync();
        await using var second = await StandIn.StartAsync();

        var a = await CreateAsync(first, "issuer");
        var b = await CreateAsync(second, "issuer");

        Assert.Equal(a["key"]!["kid"]!.GetValue<string>().Split('/')[^1], b["key"]!["kid"]!.GetValue<string>().Split('/')[^1]);
        Assert.NotEqual(a["key"]!["x"]!.GetValue<string>(), b["key"]!["x"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("GET", "keys/missing")]
    [InlineData("GET", "keys/missing/0123456789abcdef0123456789abcdef")]
    [InlineData("POST", "keys/missing/rotate")]
    [InlineData("GET", "keys/missing/versions")]
    [InlineData("GET", "keys/missing/rotationpolicy")]
    public async Task Operation_OnMissingKey_Is404KeyNotFound(string method, string path)
    {
        await using var server = await StandIn.StartAsync();
        using var http = StandIn.RawClient(server);

        using var response = await SendAsync(http, new HttpMethod(method), path + Api, method == "POST" ? "{}" : null);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("KeyNotFound", (await ErrorAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Sign_ReturnsRawRsSignatureOverTheDigest()
    {
        await using var server = await StandIn.StartAsync();
        using var http = StandIn.RawClient(server);
        var bundle = await CreateAsync(server, "issuer");
        var kid = new Uri(bundle["key"]!["kid"]!.GetValue<string>());
        var digest = SHA256.HashData("payload"u8);

        using var response = await SendAsync(http, HttpMethod.Post, kid.AbsolutePath.TrimStart('/') + "/sign" + Api,
            $$"""{"alg":"ES256","value":"{{Base64Url.EncodeToString(digest)}}"}""");
        var result = await JsonAsync(response);

        Assert.Equal(kid.AbsoluteUri, result["kid"]!.GetValue<string>());
        var signature = Base64Url.DecodeFromChars(result["value"]!.GetValue<string>());
        Assert.Equal(64, signature.Length);
        using var verifier = ECDsa.Create(new ECParameters
        {
            Curve = ECCurve.NamedCurves.nistP256,
            Q = new ECPoint { X = Base64Url.DecodeFromChars(bundle["key"]!["x"]!.GetValue<string>()), Y = Base64Url.DecodeFromChars(bundle["key"]!["y"]!.GetValue<string>()) },
        });
        Assert.True(verifier.VerifyHash(digest, signature));
        Assert.False(verifier.VerifyHash(SHA256.HashData("other"u8), signature));
    }

    [Theory]
    [InlineData("ES384", 32)]
    [InlineData("RS256", 32)]
    [InlineData("ES256", 31)]
    [InlineData("ES256", 48)]
    public async Task Sign_WithWrongAlgorithmOrDigestLength_Is400BadParameter(string alg, int digestLength)
    {
        await using var server = await StandIn.StartAsync();
        using var http = StandIn.RawClient(server);
        var kid = new Uri((await CreateAsync(server, "issuer"))["key"]!["kid"]!.GetValue<string>());

        using var response = await SendAsync(http, HttpMethod.Post, kid.AbsolutePath.TrimStart('/') + "/sign" + Api,
            $$"""{"alg":"{{alg}}","value":"{{Base64Url.EncodeToString(new byte[digestLength])}}"}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadParameter", (await ErrorAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Throttle_BeyondTheRate_Is429WithRetryAfterUntilTheBucketRefills()
    {
        var clock = new ManualTimeProvider(StandIn.Start);
        await using var server = await StandIn.StartAsync(clock);
        using var http = StandIn.RawClient(server);
        server.SetThrottle(2);

        using var first = await SendAsync(http, HttpMethod.Get, "keys/k1" + Api);
        using var second = await SendAsync(http, HttpMethod.Get, "keys/k1" + Api);
        using var third = await SendAsync(http, HttpMethod.Get, "keys/k1" + Api);
        clock.Advance(TimeSpan.FromMilliseconds(500));
        using var afterRefill = await SendAsync(http, HttpMethod.Get, "keys/k1" + Api);

        Assert.Equal(HttpStatusCode.NotFound, first.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, second.StatusCode);
        Assert.Equal((HttpStatusCode)429, third.StatusCode);
        Assert.Equal(TimeSpan.FromSeconds(1), third.Headers.RetryAfter?.Delta);
        Assert.Equal("Throttled", (await ErrorAsync(third))["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, afterRefill.StatusCode);
        Assert.Equal(1, server.ThrottledCount);
        Assert.Equal(4, server.CallCount(KeyVaultOperation.GetKey));
    }

    [Fact]
    public async Task ForbiddenOperation_Is403WithRbacInnerError()
    {
        await using var server = await StandIn.StartAsync();
        using var http = StandIn.RawClient(server);
        server.Forbid(KeyVaultOperation.CreateKey);

        using var response = await SendAsync(http, HttpMethod.Post, "keys/issuer/create" + Api, """{"kty":"EC","crv":"P-256"}""");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var error = await ErrorAsync(response);
        Assert.Equal("Forbidden", error["code"]!.GetValue<string>());
        Assert.Equal("ForbiddenByRbac", error["innererror"]!["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task Versions_PageSizeSmallerThanVersions_ReturnsNextLinkOnTheVault()
    {
        await using var server = await StandIn.StartAsync(maxPageSize: 2);
        using var http = StandIn.RawClient(server);
        for (var i = 0; i < 3; i++)
        {
            await CreateAsync(server, "issuer");
        }

        using var firstPage = await SendAsync(http, HttpMethod.Get, "keys/issuer/versions" + Api);
        var first = await JsonAsync(firstPage);
        var nextLink = first["nextLink"]!.GetValue<string>();
        using var secondPage = await SendAsync(http, HttpMethod.Get, nextLink);
        var second = await JsonAsync(secondPage);

        Assert.Equal(2, first["value"]!.AsArray().Count);
        Assert.StartsWith(server.VaultUri.AbsoluteUri + "keys/issuer/versions?api-version=7.5&", nextLink, StringComparison.Ordinal);
        Assert.Single(second["value"]!.AsArray());
        Assert.Null(second["nextLink"]);
        Assert.NotNull(first["value"]![0]!["attributes"]!["created"]);
    }

    [Fact]
    public async Task UnknownPath_Is400BadParameter()
    {
        await using var server = await StandIn.StartAsync();
        using var http = StandIn.RawClient(server);

        using var response = await SendAsync(http, HttpMethod.Get, "keys/issuer/abc/export" + Api);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("BadParameter", (await ErrorAsync(response))["code"]!.GetValue<string>());
    }

    [Fact]
    public async Task CallCounts_CountEachOperation()
    {
        await using var server = await StandIn.StartAsync();
        using var http = StandIn.RawClient(server);
        var kid = new Uri((await CreateAsync(server, "issuer"))["key"]!["kid"]!.GetValue<string>());
        var sign = $$"""{"alg":"ES256","value":"{{Base64Url.EncodeToString(new byte[32])}}"}""";

        (await SendAsync(http, HttpMethod.Post, kid.AbsolutePath.TrimStart('/') + "/sign" + Api, sign)).Dispose();
        (await SendAsync(http, HttpMethod.Post, kid.AbsolutePath.TrimStart('/') + "/sign" + Api, sign)).Dispose();
        (await SendAsync(http, HttpMethod.Post, "keys/issuer/rotate" + Api, string.Empty)).Dispose();
        (await SendAsync(http, HttpMethod.Get, "keys/issuer" + Api)).Dispose();

        Assert.Equal(1, server.CallCount(KeyVaultOperation.CreateKey));
        Assert.Equal(2, server.CallCount(KeyVaultOperation.Sign));
        Assert.Equal(1, server.CallCount(KeyVaultOperation.RotateKey));
        Assert.Equal(1, server.CallCount(KeyVaultOperation.GetKey));
        Assert.Equal(0, server.CallCounts[KeyVaultOperation.Verify]);
    }

    private static async Task<JsonObject> CreateAsync(KeyVaultStandInServer server, string name)
    {
        using var http = StandIn.RawClient(server);
        using var response = await SendAsync(http, HttpMethod.Post, $"keys/{name}/create" + Api, """{"kty":"EC","crv":"P-256"}""");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await JsonAsync(response);
    }

    private static async Task<HttpResponseMessage> SendAsync(HttpClient http, HttpMethod method, string path, string? json = null, string token = "token")
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        if (json is not null)
        {
            request.Content = new StringContent(json, Encoding.UTF8, "application/json");
        }

        return await http.SendAsync(request);
    }

    private static async Task<JsonObject> JsonAsync(HttpResponseMessage response) =>
        JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();

    private static async Task<JsonObject> ErrorAsync(HttpResponseMessage response) =>
        (await JsonAsync(response))["error"]!.AsObject();
}
