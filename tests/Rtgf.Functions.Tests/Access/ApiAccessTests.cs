using System.Net;
using Rtgf.Functions.Tests.Endpoints;

namespace Rtgf.Functions.Tests.Access;

/// <summary>
/// Keys, plans, limits and the abuse list on <c>/v1</c> and <c>/mcp</c>, through the real app (two instances over Azurite).
/// Each test uses its own keys and client addresses, so none depends on another's counters.
/// </summary>
public sealed class ApiAccessTests(AccessFixture access) : IClassFixture<AccessFixture>
{
    private static int _addresses;

    private AccessInstance A => access.A;

    private AccessInstance B => access.B;

    /// <summary>A client address no other test uses (TEST-NET-2, then 10/8).</summary>
    private static string NewAddress() => "10.20." + Interlocked.Increment(ref _addresses) / 250 + "." + (_addresses % 250 + 1);

    [Fact]
    public async Task ValidKey_IsServed_WithRateLimitFields_OnBothAreas()
    {
        var (key, id) = await access.CreateKeyAsync();
        await AlignToMinuteAsync(); // t=60 below: the whole minute ahead, whatever other tests did to the shared clock

        using var v1 = await AccessFixture.GetAsync(A, "/v1", key, NewAddress());
        using var mcp = await AccessFixture.GetAsync(A, "/mcp", key, NewAddress());

        Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
        Assert.Equal(HttpStatusCode.OK, mcp.StatusCode);
        Assert.Equal("public-api", (await v1.ReadObjectAsync())["area"]!.GetValue<string>());
        var policy = Assert.Single(v1.Headers.GetValues("RateLimit-Policy"));
        Assert.StartsWith("\"minute\";q=60;w=60, \"month\";q=10000;w=2678400", policy, StringComparison.Ordinal); // December: 31 days
        Assert.Matches("^\"minute\";r=5[89];t=60, \"month\";r=999[89];t=\\d+$", Assert.Single(v1.Headers.GetValues("RateLimit")));
        Assert.Equal(16, id.Length);
    }

    [Fact]
    public async Task MissingKey_OnMcp_Is401WithABareBearerChallenge()
    {
        using var response = await AccessFixture.GetAsync(A, "/mcp", null, NewAddress());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("urn:rtgf:problem:unauthorized", (await response.ReadObjectAsync())["type"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("Bearer rtgf_")]
    [InlineData("Bearer sk_live_abcdefghijklmnopqrstuvwxyz0123456789abcdefghijklmnopqrstuvwxy")]
    [InlineData("Basic dXNlcjpwYXNz")]
    [InlineData("Bearer")]
    [InlineData("Bearer rtgf_ABCDEFGHIJKLMNOP_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // id upper case
    [InlineData("Bearer rtgf_abcdefghijklmnop_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=")] // padding, too long
    [InlineData("Bearer rtgf_abcdefghijklmnop_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA+")] // base64, not base64url
    [InlineData("Bearer rtgf_abcdefghijklmnop_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAB")] // unused bits set
    [InlineData("Bearer rtgf_abcdefghijklmnop-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // separator
    [InlineData("Bearer rtgf_abcdefghijklmno1_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // 1 is not base32
    [InlineData("Bearer rtgf_abcdefghijklmnop_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // secret too short
    [InlineData("Bearer rtgf_abcdefghijklmnopéAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // unicode
    [InlineData("Bearer RTGF_abcdefghijklmnop_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")] // prefix case
    public async Task MalformedKey_Is401InvalidToken_WithoutAStorageRead(string authorization)
    {
        var reads = A.KeyReads.Reads;

        using var response = await AccessFixture.GetAsync(A, "/v1", null, NewAddress(), authorization);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
        Assert.Equal("urn:rtgf:problem:unauthorized", (await response.ReadObjectAsync())["type"]!.GetValue<string>());
        Assert.Equal(reads, A.KeyReads.Reads);
    }

    [Fact]
    public async Task HugeAuthorizationHeader_Is401()
    {
        using var response = await AccessFixture.GetAsync(A, "/v1", null, NewAddress(), "Bearer rtgf_" + new string('a', 20_000));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", response.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task KeyDifferingOnlyInItsLastCharacter_IsRefused()
    {
        var (key, _) = await access.CreateKeyAsync();
        var last = key[^1];

        // Another base64url character that keeps the unused bits clear (the last one carries 2 bits of the secret, 4 unused).
        var other = key[..^1] + (last == 'A' ? 'Q' : 'A');
        using var good = await AccessFixture.GetAsync(A, "/v1", key, NewAddress());
        using var bad = await AccessFixture.GetAsync(A, "/v1", other, NewAddress());

        Assert.Equal(HttpStatusCode.OK, good.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, bad.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", bad.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task KeyWithoutTheScope_Is403InsufficientScope()
    {
        var (key, _) = await access.CreateKeyAsync(scopes: ["catalogue:read"]);

        using var v1 = await AccessFixture.GetAsync(A, "/v1", key, NewAddress());
        using var mcp = await AccessFixture.GetAsync(A, "/mcp", key, NewAddress());

        Assert.Equal(HttpStatusCode.OK, v1.StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, mcp.StatusCode);
        Assert.Equal("Bearer error=\"insufficient_scope\", scope=\"mcp\"", mcp.Headers.WwwAuthenticate.ToString());
        Assert.Equal("urn:rtgf:problem:insufficient-scope", (await mcp.ReadObjectAsync())["type"]!.GetValue<string>());
    }

    [Fact]
    public async Task RevokedKey_IsRefusedAtOnceWhereRevoked_AndOnTheOtherInstanceOnceItsCacheExpires()
    {
        var (key, id) = await access.CreateKeyAsync();
        using (var warm = await AccessFixture.GetAsync(B, "/v1", key, NewAddress()))
        {
            Assert.Equal(HttpStatusCode.OK, warm.StatusCode); // B has the key cached now
        }

        using (var client = A.CreateClient())
        using (var revoke = await client.PostAsync(new Uri($"/ops/api-keys/{id}/revoke", UriKind.Relative), ApiJson.Json("{\"reason\":\"leaked\"}")))
        {
            Assert.Equal(HttpStatusCode.OK, revoke.StatusCode);
        }

        using var onA = await AccessFixture.GetAsync(A, "/v1", key, NewAddress());
        using var onBCached = await AccessFixture.GetAsync(B, "/v1", key, NewAddress());
        access.Clock.Advance(TimeSpan.FromSeconds(5));
        using var onBAfter = await AccessFixture.GetAsync(B, "/v1", key, NewAddress());

        Assert.Equal(HttpStatusCode.Unauthorized, onA.StatusCode);
        Assert.Contains("revoked", (await onA.ReadObjectAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, onBCached.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, onBAfter.StatusCode);
        Assert.Equal("Bearer error=\"invalid_token\"", onBAfter.Headers.WwwAuthenticate.ToString());
    }

    [Fact]
    public async Task ExpiredKey_IsRefused()
    {
        var (key, _) = await access.CreateKeyAsync(expiresAt: access.Clock.GetUtcNow().AddHours(1));

        using var before = await AccessFixture.GetAsync(A, "/v1", key, NewAddress());
        access.Clock.Advance(TimeSpan.FromHours(1));
        using var after = await AccessFixture.GetAsync(A, "/v1", key, NewAddress());

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, after.StatusCode);
        Assert.Contains("expired", (await after.ReadObjectAsync())["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Burst_Then429WithRetryAfter_ThenATokenPerPeriod()
    {
        var (key, _) = await access.CreateKeyAsync(plan: "burst"); // 60 a minute, burst 3: a token a second
        var address = NewAddress();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await AccessFixture.GetAsync(A, "/v1", key, address);
            statuses.Add(ok.StatusCode);
        }

        using var limited = await AccessFixture.GetAsync(A, "/v1", key, address);
        access.Clock.Advance(TimeSpan.FromSeconds(1));
        using var next = await AccessFixture.GetAsync(A, "/v1", key, address);
        using var again = await AccessFixture.GetAsync(A, "/v1", key, address);

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("1", Assert.Single(limited.Headers.GetValues("Retry-After")));
        Assert.StartsWith("\"minute\";q=60;w=60", Assert.Single(limited.Headers.GetValues("RateLimit-Policy")), StringComparison.Ordinal);
        Assert.Single(limited.Headers.GetValues("RateLimit"));
        Assert.Equal("urn:rtgf:problem:rate-limited", (await limited.ReadObjectAsync())["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, next.StatusCode);
        Assert.Equal(HttpStatusCode.TooManyRequests, again.StatusCode);
    }

    [Fact]
    public async Task MinuteLimit_RefusesUntilTheNextMinute()
    {
        var (key, _) = await access.CreateKeyAsync(plan: "minute"); // 5 a minute, burst 5
        await AlignToMinuteAsync();
        var address = NewAddress();
        for (var i = 0; i < 5; i++)
        {
            using var ok = await AccessFixture.GetAsync(A, "/v1", key, address);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var limited = await AccessFixture.GetAsync(A, "/v1", key, address);
        access.Clock.Advance(TimeSpan.FromMinutes(1));
        using var nextMinute = await AccessFixture.GetAsync(A, "/v1", key, address);

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("urn:rtgf:problem:rate-limited", (await limited.ReadObjectAsync())["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.OK, nextMinute.StatusCode);
        Assert.StartsWith("\"minute\";r=4;", Assert.Single(nextMinute.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MonthlyQuota_IsExhausted_ThenResetsNextMonth()
    {
        var (key, _) = await access.CreateKeyAsync(plan: "quota"); // 3 a month
        var address = NewAddress();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await AccessFixture.GetAsync(A, "/v1", key, address);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        using var exhausted = await AccessFixture.GetAsync(A, "/v1", key, address);
        using var onB = await AccessFixture.GetAsync(B, "/v1", key, address);
        var now = access.Clock.GetUtcNow();
        access.Clock.Advance(new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1) - now);
        using var nextMonth = await AccessFixture.GetAsync(A, "/v1", key, address);

        Assert.Equal(HttpStatusCode.TooManyRequests, exhausted.StatusCode);
        Assert.Equal("urn:rtgf:problem:quota-exhausted", (await exhausted.ReadObjectAsync())["type"]!.GetValue<string>());
        Assert.True(long.Parse(Assert.Single(exhausted.Headers.GetValues("Retry-After")), System.Globalization.CultureInfo.InvariantCulture) > 60);
        Assert.Equal(HttpStatusCode.TooManyRequests, onB.StatusCode); // the shared month total, read by the other instance
        Assert.Equal(HttpStatusCode.OK, nextMonth.StatusCode);
    }

    [Fact]
    public async Task MonthlyQuotaRefusal_UsesNoMinuteSlot()
    {
        var (key, _) = await access.CreateKeyAsync(plan: "quota"); // 100 a minute, 3 a month
        await AlignToMinuteAsync();
        var address = NewAddress();
        for (var i = 0; i < 3; i++)
        {
            using var ok = await AccessFixture.GetAsync(A, "/v1", key, address);
            Assert.Equal(HttpStatusCode.OK, ok.StatusCode);
        }

        // B has not read this key's month yet: it takes a minute slot, then learns the month is used up, and gives it back.
        using var refused = await AccessFixture.GetAsync(B, "/v1", key, address);
        using var again = await AccessFixture.GetAsync(B, "/v1", key, address);

        Assert.Equal(HttpStatusCode.TooManyRequests, refused.StatusCode);
        Assert.Equal("urn:rtgf:problem:quota-exhausted", (await refused.ReadObjectAsync())["type"]!.GetValue<string>());
        // B's view of the minute: A's first request (A writes its minute count in batches of 5; its other two wait), none of
        // its own. Had the refusal kept its slot, r would be 98.
        Assert.StartsWith("\"minute\";r=99;", Assert.Single(refused.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
        Assert.StartsWith("\"minute\";r=99;", Assert.Single(again.Headers.GetValues("RateLimit")), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TwoInstances_ShareTheMinuteLimit()
    {
        var (key, _) = await access.CreateKeyAsync(plan: "shared"); // 6 a minute, burst 6 per instance
        await AlignToMinuteAsync();
        var address = NewAddress();
        var accepted = 0;
        for (var i = 0; i < 12; i++)
        {
            using var response = await AccessFixture.GetAsync(i % 2 == 0 ? A : B, "/v1", key, address);
            accepted += response.StatusCode == HttpStatusCode.OK ? 1 : 0;
            Assert.True(response.StatusCode is HttpStatusCode.OK or HttpStatusCode.TooManyRequests, response.StatusCode.ToString());
        }

        Assert.Equal(6, accepted); // each instance alone would have let 6 through: together they did not make 12
    }

    [Fact]
    public async Task ConcurrentRequests_OnOneInstance_ServeExactlyTheMinuteLimit()
    {
        var (key, _) = await access.CreateKeyAsync(plan: "crowd"); // 10 a minute, burst 200: the shared minute window decides
        await AlignToMinuteAsync();
        var address = NewAddress();

        var responses = await Task.WhenAll(Enumerable.Range(0, 60).Select(_ => AccessFixture.GetAsync(A, "/v1", key, address)));
        var statuses = responses.Select(r => r.StatusCode).ToList();
        foreach (var response in responses)
        {
            response.Dispose();
        }

        // Requests arriving while the window's write is in flight count that write's requests: none is admitted past the
        // limit locally, and none is refused for requests that came after it.
        Assert.Equal(10, statuses.Count(s => s == HttpStatusCode.OK));
        Assert.Equal(50, statuses.Count(s => s == HttpStatusCode.TooManyRequests));
    }

    [Fact]
    public async Task AnonymousTier_CountsTheRightmostForwardedAddress()
    {
        var address = NewAddress();
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 5; i++)
        {
            // The client varies what it sends; the front end's entry (rightmost) stays the same.
            using var response = await AccessFixture.GetAsync(A, "/v1", null, $"192.0.2.{i + 1}, {address}");
            statuses.Add(response.StatusCode);
            Assert.Equal("\"anonymous\";q=5;w=60", Assert.Single(response.Headers.GetValues("RateLimit-Policy")));
        }

        using var limited = await AccessFixture.GetAsync(A, "/v1", null, "198.51.100.77, " + address);
        using var mapped = await AccessFixture.GetAsync(A, "/v1", null, "[::ffff:" + address + "]:443");
        using var other = await AccessFixture.GetAsync(A, "/v1", null, address + ", " + NewAddress());

        Assert.All(statuses, s => Assert.Equal(HttpStatusCode.OK, s));
        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Equal("urn:rtgf:problem:rate-limited", (await limited.ReadObjectAsync())["type"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.TooManyRequests, mapped.StatusCode); // IPv4-mapped IPv6 with a port is the same address
        Assert.Equal(HttpStatusCode.OK, other.StatusCode);
    }

    [Fact]
    public async Task RepeatedUnauthorized_BlocksTheAddressOnEveryInstance_UntilTheBlockExpires()
    {
        var address = NewAddress();
        for (var i = 0; i < 8; i++)
        {
            using var response = await AccessFixture.GetAsync(A, "/mcp", null, address);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var blocked = await AccessFixture.GetAsync(A, "/v1", null, address);
        using var keyed = await AccessFixture.GetAsync(A, "/v1", (await access.CreateKeyAsync()).Key, address);
        access.Clock.Advance(TimeSpan.FromSeconds(10)); // B reads the shared list again
        using var blockedOnB = await AccessFixture.GetAsync(B, "/v1", null, address);
        using var otherAddress = await AccessFixture.GetAsync(A, "/v1", null, NewAddress());
        access.Clock.Advance(TimeSpan.FromMinutes(15));
        using var afterA = await AccessFixture.GetAsync(A, "/v1", null, address);
        using var afterB = await AccessFixture.GetAsync(B, "/v1", null, address);

        Assert.Equal(HttpStatusCode.Forbidden, blocked.StatusCode);
        Assert.Equal("urn:rtgf:problem:address-blocked", (await blocked.ReadObjectAsync())["type"]!.GetValue<string>());
        Assert.Equal("900", Assert.Single(blocked.Headers.GetValues("Retry-After")));
        Assert.Equal(HttpStatusCode.OK, keyed.StatusCode); // a valid key is limited by its plan, not by its address
        Assert.Equal(HttpStatusCode.Forbidden, blockedOnB.StatusCode);
        Assert.Equal(HttpStatusCode.OK, otherAddress.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterA.StatusCode);
        Assert.Equal(HttpStatusCode.OK, afterB.StatusCode);
    }

    [Fact]
    public async Task Keys_NeverReachTheLogs()
    {
        var (key, _) = await access.CreateKeyAsync(scopes: ["catalogue:read"]);
        var secret = key[(key.LastIndexOf('_') + 1)..];
        using (await AccessFixture.GetAsync(A, "/v1", key, NewAddress()))
        using (await AccessFixture.GetAsync(A, "/mcp", key, NewAddress()))
        using (await AccessFixture.GetAsync(A, "/v1", key[..^1] + (key[^1] == 'A' ? 'Q' : 'A'), NewAddress()))
        using (await AccessFixture.GetAsync(A, "/v1", null, NewAddress(), "Bearer " + key + "x"))
        {
        }

        var entries = A.Logs.Entries.Concat(B.Logs.Entries).ToList();
        Assert.Contains(entries, e => e.Message.Contains("refused", StringComparison.Ordinal)); // the refusals were logged…
        foreach (var entry in entries)
        {
            var text = entry.Message + string.Join(' ', entry.State.Values) + string.Join(' ', entry.Scopes.Values);
            Assert.DoesNotContain(secret, text, StringComparison.Ordinal); // …without the secret
        }
    }

    /// <summary>
    /// Moves the shared clock (other tests move it too, in any order) to the start of the next minute, so a test's requests
    /// fall in one minute window with the whole minute ahead.
    /// </summary>
    private Task AlignToMinuteAsync()
    {
        var now = access.Clock.GetUtcNow();
        access.Clock.Advance(Rtgf.Pipeline.Access.UsageWindows.MinuteEnd(now) - now);
        return Task.CompletedTask;
    }
}

/// <summary>The app without storage or hash key settings (as in a fresh deployment).</summary>
public sealed class ApiAccessUnconfiguredTests(Support.FunctionsApp app) : IClassFixture<Support.FunctionsApp>
{
    [Fact]
    public async Task KeyedRequest_WithoutTheHashKeySetting_Is503NamingTheSetting()
    {
        using var response = await AccessFixture.GetAsync(app, "/v1", "rtgf_" + new string('a', 16) + "_" + new string('A', 43), "10.99.0.1");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var problem = await response.ReadObjectAsync();
        Assert.Equal("urn:rtgf:problem:access-not-configured", problem["type"]!.GetValue<string>());
        Assert.Contains("ApiKeys:HashKey", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AnonymousRequest_WithoutStorage_IsServed_AndTheUnreadableAbuseListIsLogged()
    {
        using var response = await AccessFixture.GetAsync(app, "/v1", null, "10.99.0.2");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains(app.Logs.Entries, e => e.Message.Contains("abuse list could not be read", StringComparison.Ordinal));
    }
}
