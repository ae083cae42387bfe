using System.Net;
using Rtgf.Functions.Billing.QuickBooks;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Tests.Billing.QuickBooks;

/// <summary>
/// The refresh token in a Key Vault secret (the real SecretClient on the Key Vault stand-in) and the real client on the
/// outbound pipeline against the QuickBooks stand-in: rotation, 401 → one refresh, invalid_grant, two instances.
/// </summary>
public sealed class QuickBooksTokensTests
{
    [Fact]
    public async Task FirstCall_Refreshes_StoresTheRotatedTokenAsANewSecretVersion_AndNeverLogsATtoken()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        var first = await rig.ConnectAsync();
        var before = (await rig.Secrets().GetSecretAsync(rig.Settings.RefreshTokenSecret)).Value;
        var connection = rig.Connection();

        var found = await connection.Client!.QueryAsync("select * from SalesReceipt", CancellationToken.None);
        await connection.Client.QueryAsync("select * from RefundReceipt", CancellationToken.None);

        var after = (await rig.Secrets().GetSecretAsync(rig.Settings.RefreshTokenSecret)).Value;
        Assert.Empty(found);
        Assert.Equal(1, await rig.CallsAsync("POST token"));
        Assert.NotEqual(before.Properties.Version, after.Properties.Version);
        Assert.NotEqual(first, after.Value);
        Assert.Equal(first, (await rig.Secrets().GetSecretAsync(rig.Settings.RefreshTokenSecret, before.Properties.Version)).Value.Value);
        using var reused = await RefreshDirectlyAsync(rig, first);
        Assert.Equal(HttpStatusCode.BadRequest, reused.StatusCode); // the old one is spent: only the stored one works
        Assert.DoesNotContain(first, rig.Logs.All, StringComparison.Ordinal);
        Assert.DoesNotContain(after.Value, rig.Logs.All, StringComparison.Ordinal);
        Assert.Contains(rig.Logs.Provider.Entries, e => e.Message.Contains("QuickBooks access token refreshed", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A401_RefreshesOnce_AndSendsAgain()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        var connection = rig.Connection();
        await connection.Client!.QueryAsync("select * from SalesReceipt", CancellationToken.None);

        (await rig.Sim.PostAsync(new Uri("_sim/quickbooks/expire-access-tokens", UriKind.Relative), null)).Dispose();
        await connection.Client.QueryAsync("select * from SalesReceipt", CancellationToken.None);

        Assert.Equal(2, await rig.CallsAsync("POST token"));
        Assert.Equal(3, await rig.CallsAsync("GET query")); // ok, 401, ok
    }

    [Fact]
    public async Task AnExpiredAccessToken_IsRefreshedBeforeTheCall_WithoutA401()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        var connection = rig.Connection();
        await connection.Client!.QueryAsync("select * from SalesReceipt", CancellationToken.None);

        rig.Clock.Advance(TimeSpan.FromMinutes(59.5)); // inside the one-minute margin
        await connection.Client.QueryAsync("select * from SalesReceipt", CancellationToken.None);

        Assert.Equal(2, await rig.CallsAsync("POST token"));
        Assert.Equal(2, await rig.CallsAsync("GET query"));
    }

    [Fact]
    public async Task InvalidGrant_IsAClearError_AndChangesNothing()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        (await rig.Sim.PostAsync(new Uri("_sim/quickbooks/revoke-refresh-tokens", UriKind.Relative), null)).Dispose();
        var before = (await rig.Secrets().GetSecretAsync(rig.Settings.RefreshTokenSecret)).Value;
        var connection = rig.Connection();

        var error = await Assert.ThrowsAsync<QuickBooksAuthorizationException>(() => connection.Client!.QueryAsync("select * from SalesReceipt", CancellationToken.None));

        Assert.Contains("invalid_grant", error.Message, StringComparison.Ordinal);
        Assert.Contains("'qb-refresh'", error.Message, StringComparison.Ordinal);
        Assert.Contains("Reconnect QuickBooks", error.Message, StringComparison.Ordinal);
        var after = (await rig.Secrets().GetSecretAsync(rig.Settings.RefreshTokenSecret)).Value;
        Assert.Equal(before.Properties.Version, after.Properties.Version);
        Assert.Equal(0, await rig.CallsAsync("GET query"));
        Assert.DoesNotContain(before.Value, rig.Logs.All, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoSecretYet_IsAClearError()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        var connection = rig.Connection();

        var error = await Assert.ThrowsAsync<QuickBooksAuthorizationException>(() => connection.Tokens!.AccessTokenAsync(CancellationToken.None));

        Assert.Contains("does not exist", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, await rig.CallsAsync("POST token"));
    }

    [Fact]
    public async Task TwoInstancesRefreshAtOnce_TheLoserReadsTheWinnersVersion_AndBothGetAToken()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        await rig.ConnectAsync();
        var a = rig.Connection();
        // Instance B reads the secret, then instance A refreshes with the same token and stores the rotated one, then B's
        // refresh reaches QuickBooks with the spent token: the interleaving made deterministic by holding B's token call.
        using var hold = new HoldFirstSend(() => a.Tokens!.AccessTokenAsync(CancellationToken.None));
#pragma warning disable CA2000 // the tokens own the client
        using var b = new QuickBooksTokens(
            rig.Secrets(), rig.Settings.RefreshTokenSecret, rig.Outbound.CreateClient(new OutboundOptions { Name = "quickbooks-oauth-b", BaseAddress = new Uri(rig.Settings.TokenUrl.GetLeftPart(UriPartial.Authority) + "/"), MaxRetries = 0 }, hold),
            rig.Settings.TokenUrl, rig.Settings.ClientId!, rig.Settings.ClientSecret!, rig.Clock, rig.Logs.Factory.CreateLogger<QuickBooksTokens>());
#pragma warning restore CA2000

        var tokenB = await b.AccessTokenAsync(CancellationToken.None);
        var tokenA = await a.Tokens!.AccessTokenAsync(CancellationToken.None);

        Assert.NotEqual(tokenA, tokenB);
        Assert.Equal(3, await rig.CallsAsync("POST token")); // A's; B's invalid_grant; B's with A's version
        var latest = (await rig.Secrets().GetSecretAsync(rig.Settings.RefreshTokenSecret)).Value;
        using var works = await RefreshDirectlyAsync(rig, latest.Value);
        Assert.Equal(HttpStatusCode.OK, works.StatusCode); // the stored token is the live one
    }

    [Fact]
    public async Task ACancellationBetweenTheExchangeAndTheWrite_StillStoresTheRotatedToken()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        var first = await rig.ConnectAsync();
        using var cancel = new CancellationTokenSource();
        // The run is cancelled (host shutdown, functionTimeout, a sibling's fault) the moment QuickBooks has rotated the token.
        using var tokens = Tokens(rig, rig.Secrets(), new AfterSend(cancel.Cancel));

        try
        {
            await tokens.AccessTokenAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            // Either answer is fine; what counts is what is in Key Vault.
        }

        var stored = (await rig.Secrets().GetSecretAsync(rig.Settings.RefreshTokenSecret)).Value;
        Assert.NotEqual(first, stored.Value);
        using var works = await RefreshDirectlyAsync(rig, stored.Value);
        Assert.Equal(HttpStatusCode.OK, works.StatusCode);
    }

    [Fact]
    public async Task AFailedWrite_KeepsTheRotatedTokenInMemory_AndWritesItBeforeTheNextExchange()
    {
        await using var rig = await QuickBooksRig.StartAsync();
        var first = await rig.ConnectAsync();
        var failing = new FailPuts(3); // every try of the first write
        using var tokens = Tokens(rig, rig.Secrets(failing), null);

        var access = await tokens.AccessTokenAsync(CancellationToken.None);
        var afterFirst = (await rig.Secrets().GetSecretAsync(rig.Settings.RefreshTokenSecret)).Value;
        await tokens.RefreshAsync(access, CancellationToken.None); // e.g. a 401: the next exchange

        Assert.Equal(first, afterFirst.Value); // the write failed
        Assert.Equal(0, failing.Remaining);
        Assert.Equal(2, await rig.CallsAsync("POST token"));
        var stored = (await rig.Secrets().GetSecretAsync(rig.Settings.RefreshTokenSecret)).Value;
        using var works = await RefreshDirectlyAsync(rig, stored.Value);
        Assert.Equal(HttpStatusCode.OK, works.StatusCode); // nothing was lost: no reconnect
        Assert.Contains(rig.Logs.Provider.Entries, e => e.Message.Contains("kept in memory", StringComparison.Ordinal));
    }

#pragma warning disable CA2000 // the tokens own the client
    private static QuickBooksTokens Tokens(QuickBooksRig rig, global::Azure.Security.KeyVault.Secrets.SecretClient secrets, DelegatingHandler? handler) => new(
        secrets, rig.Settings.RefreshTokenSecret,
        rig.Outbound.CreateClient(new OutboundOptions { Name = "quickbooks-oauth-t", BaseAddress = new Uri(rig.Settings.TokenUrl.GetLeftPart(UriPartial.Authority) + "/"), MaxRetries = 0 }, handler ?? new AfterSend(() => { })),
        rig.Settings.TokenUrl, rig.Settings.ClientId!, rig.Settings.ClientSecret!, rig.Clock, rig.Logs.Factory.CreateLogger<QuickBooksTokens>());
#pragma warning restore CA2000

    private static async Task<HttpResponseMessage> RefreshDirectlyAsync(QuickBooksRig rig, string refreshToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, rig.Settings.TokenUrl)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]),
        };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Basic", Convert.ToBase64String("sim-qb-client:sim-qb-secret"u8.ToArray()));
        return await rig.Sim.SendAsync(request);
    }

    /// <summary>Runs <paramref name="before"/> (another instance's refresh) before the first request goes out.</summary>
    private sealed class HoldFirstSend(Func<Task> before) : DelegatingHandler(new SocketsHttpHandler())
    {
        private int _sent;

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            if (Interlocked.Increment(ref _sent) == 1)
            {
                await before();
            }

            return await base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>Runs <paramref name="after"/> once an answer came back.</summary>
    private sealed class AfterSend(Action after) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = await base.SendAsync(request, cancellationToken);
            after();
            return response;
        }
    }
}
