using System.Net;
using System.Net.Http.Json;
using Rtgf.Core.Signing;
using Rtgf.Functions.Endpoints;
using Rtgf.Functions.Tests.Endpoints;
using Rtgf.Functions.Tests.Support;
using Rtgf.Functions.Tests.Traffic;
using Rtgf.Functions.Verification;
using Rtgf.Pipeline.Keys;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Verification;

/// <summary>
/// <c>POST /verify</c> when the key set cannot be read: a 503 not-ready problem with Retry-After before any read succeeded
/// (never a 500), and the last good key set once one has (a failed refresh does not stop verification).
/// </summary>
public sealed class KeySetUnavailableTests
{
    private const string Token = "eyJhbGciOiJFUzI1NiIsImtpZCI6ImsifQ.eyJzdWIiOiJydG86MSJ9.c2lnbmF0dXJl";

    [Fact]
    public async Task NoIssuerKeyConfigured_VerifyAnswers503NotReady_WithRetryAfter()
    {
        var azurite = await SharedAzurite.GetAsync();
        await using var app = new TrafficApp(azurite, azurite.UniqueName("ksu")); // no issuer key: the key set cannot be read
        await app.InitializeAsync();
        using var client = app.CreateClient();

        using var single = await client.PostAsJsonAsync("/verify", new { token = Token });
        var problem = await single.ReadObjectAsync();
        using var batch = await client.PostAsJsonAsync("/verify/batch", new { tokens = new[] { Token } });

        Assert.Equal(HttpStatusCode.ServiceUnavailable, single.StatusCode);
        Assert.Equal("urn:rtgf:problem:not-ready", problem["type"]!.GetValue<string>());
        Assert.Equal(TimeSpan.FromSeconds(VerifierEndpoints.RetryAfterSeconds), single.Headers.RetryAfter?.Delta);
        Assert.Equal(HttpStatusCode.ServiceUnavailable, batch.StatusCode);
    }

    [Fact]
    public async Task ARefreshThatFails_AfterAGoodRead_ServesTheLastGoodSet_AndNoReadYetThrowsUnavailable()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 12, 5, 0, 0, 0, TimeSpan.Zero));
        using var issuer = LocalDevelopmentSigner.Create();
        var reader = new FailingKeySetReader(new JsonWebKeySet([new JsonWebKey(issuer.PublicKey)]));
        using var verifiers = new KeySetVerifiers(reader, clock);
        var first = await verifiers.GetAsync(default);

        reader.Failing = true;
        clock.Advance(KeySetVerifiers.RefreshAfter + TimeSpan.FromSeconds(1));
        var second = await verifiers.GetAsync(default);

        Assert.Equal(2, reader.Reads); // the refresh was tried, and failed
        Assert.Same(first, second);
        Assert.Single(second.Keys.Keys);

        using var never = new KeySetVerifiers(new FailingKeySetReader(new JsonWebKeySet([])) { Failing = true }, clock);
        await Assert.ThrowsAsync<KeySetUnavailableException>(async () => await never.GetAsync(default));
    }

    private sealed class FailingKeySetReader(JsonWebKeySet set) : IKeySetReader
    {
        private int _reads;

        public bool Failing { get; set; }

        public int Reads => Volatile.Read(ref _reads);

        public Task<JsonWebKeySet> GetAsync(CancellationToken cancellationToken = default)
        {
            Interlocked.Increment(ref _reads);
            return Failing ? Task.FromException<JsonWebKeySet>(new InvalidOperationException("The jwks table cannot be read.")) : Task.FromResult(set);
        }
    }
}
