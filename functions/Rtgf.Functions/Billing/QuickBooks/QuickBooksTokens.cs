using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Security.KeyVault.Secrets;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// The QuickBooks access token, from the OAuth 2 refresh token kept in a Key Vault secret. QuickBooks rotates refresh
/// tokens (each refresh answers a new one; the stand-in, like the strictest reading of Intuit's documentation, refuses
/// the used one from then on), so a refresh writes the new refresh token as a new secret version <em>before</em> the new
/// access token is used: a crash after the write loses nothing. The exchange and the write are never cancelled (a cancelled
/// run must not drop a token QuickBooks already rotated); a write that fails after a few tries keeps the new token in
/// memory, and it is written (and used) before any later exchange. One refresh at a time per process (a semaphore); across
/// processes, the strict rotation is the compare-and-swap: of two refreshes with one token only one succeeds, and the
/// other, answered <c>invalid_grant</c>, reads the secret again and, if another process wrote a newer version meanwhile,
/// refreshes with that one. <c>invalid_grant</c> with the latest version is <see cref="QuickBooksAuthorizationException"/>:
/// nothing is written. Tokens are never logged.
/// </summary>
public sealed partial class QuickBooksTokens(
    SecretClient secrets, string secretName, HttpClient oauth, Uri tokenUrl, string clientId, string clientSecret, TimeProvider time, ILogger logger) : IDisposable
{
    // Refresh a minute early: a token that expires in flight is a 401 and a second call.
    private static readonly TimeSpan Margin = TimeSpan.FromMinutes(1);
    private readonly SemaphoreSlim _gate = new(1, 1);
    private const int WriteAttempts = 3;
    private volatile Cached? _cached;

    // A rotated refresh token not yet in Key Vault (every write failed): the newest token there is.
    private volatile string? _unsaved;

    /// <summary>A valid access token: the cached one, else one from a refresh.</summary>
    public async Task<string> AccessTokenAsync(CancellationToken cancellationToken) =>
        Current() ?? await RefreshAsync(null, cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Refreshes, unless another caller already replaced <paramref name="rejected"/> (the token QuickBooks just answered
    /// 401 to; null when there is none): then its token is the answer, and QuickBooks is not asked again.
    /// </summary>
    public async Task<string> RefreshAsync(string? rejected, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (Current() is { } current && current != rejected)
            {
                return current;
            }

            // From here on nothing is cancelled: QuickBooks may rotate the refresh token on any exchange, and a rotated
            // token dropped between the exchange and the write is a manual reconnect. The exchange is bounded by the
            // oauth pipeline's timeouts, the write by the SecretClient's.
            var unsaved = _unsaved;
            if (unsaved is not null)
            {
                await TryWriteAsync(unsaved).ConfigureAwait(false);
            }

            var stored = unsaved is null ? await ReadAsync(CancellationToken.None).ConfigureAwait(false) : null;
            var tokens = await ExchangeAsync(unsaved ?? stored!.Value, CancellationToken.None).ConfigureAwait(false);
            if (tokens is null)
            {
                // Another process may have rotated the token since we read it: its new version is the one to use.
                var latest = await ReadAsync(CancellationToken.None).ConfigureAwait(false);
                if ((stored is not null && latest.Properties.Version == stored.Properties.Version) || latest.Value == unsaved
                    || await ExchangeAsync(latest.Value, CancellationToken.None).ConfigureAwait(false) is not { } retried)
                {
                    LogInvalidGrant(logger, secretName, latest.Properties.Version);
                    throw new QuickBooksAuthorizationException(
                        $"QuickBooks refused the refresh token in the Key Vault secret '{secretName}' (invalid_grant: revoked, expired or already used). Reconnect QuickBooks and set the new refresh token as that secret (docs/runbooks/webhooks-and-billing.md).",
                        400,
                        "invalid_grant");
                }

                tokens = retried;
            }

            // The new refresh token is stored before the new access token is used: the old one no longer works. If the
            // write fails even after retries, the token is kept here and written (and used) before any later exchange.
            _unsaved = tokens.Value.RefreshToken;
            await TryWriteAsync(tokens.Value.RefreshToken).ConfigureAwait(false);
            _cached = new Cached(tokens.Value.AccessToken, time.GetUtcNow() + tokens.Value.Lifetime);
            return tokens.Value.AccessToken;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    /// <summary>Writes a rotated refresh token as a new secret version (a few tries); false when every try failed (then it stays in <see cref="_unsaved"/>).</summary>
    private async Task<bool> TryWriteAsync(string refreshToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                var written = await secrets.SetSecretAsync(new KeyVaultSecret(secretName, refreshToken) { Properties = { ContentType = "text/plain" } }, CancellationToken.None).ConfigureAwait(false);
                if (_unsaved == refreshToken)
                {
                    _unsaved = null;
                }

                LogRefreshed(logger, secretName, written.Value.Properties.Version);
                return true;
            }
            catch (RequestFailedException e) when (attempt < WriteAttempts)
            {
                LogWriteRetried(logger, e, secretName, attempt);
            }
            catch (RequestFailedException e)
            {
                LogWriteFailed(logger, e, secretName, attempt);
                return false;
            }
        }
    }

    private string? Current() => _cached is { } cached && time.GetUtcNow() < cached.Expires - Margin ? cached.AccessToken : null;

    private async Task<KeyVaultSecret> ReadAsync(CancellationToken cancellationToken)
    {
        try
        {
            return (await secrets.GetSecretAsync(secretName, cancellationToken: cancellationToken).ConfigureAwait(false)).Value;
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            throw new QuickBooksAuthorizationException(
                $"The Key Vault secret '{secretName}' does not exist: connect QuickBooks and set its first refresh token as that secret (docs/runbooks/webhooks-and-billing.md).", e);
        }
    }

    /// <summary>grant_type=refresh_token; null when QuickBooks answers invalid_grant.</summary>
    private async Task<(string AccessToken, string RefreshToken, TimeSpan Lifetime)?> ExchangeAsync(string refreshToken, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, tokenUrl)
        {
            Content = new FormUrlEncodedContent([new("grant_type", "refresh_token"), new("refresh_token", refreshToken)]),
        };
        request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(clientId + ":" + clientSecret)));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        // Not retry-safe: a refresh whose answer was lost has already rotated the token.
        request.WithOperation("POST oauth2/tokens");
        HttpResponseMessage sent;
        try
        {
            sent = await oauth.SendAsync(request, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception fault) when (fault is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            throw new QuickBooksException($"The QuickBooks token endpoint did not answer ({fault.GetType().Name}: {fault.Message}).", fault);
        }

        using var response = sent;
        var tid = response.Headers.TryGetValues("intuit_tid", out var values) ? values.FirstOrDefault() : null;
        JsonNode? body;
        try
        {
            body = JsonNode.Parse(await response.Content.ReadAsStringAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (JsonException)
        {
            body = null;
        }

        var error = body?["error"] is JsonValue e && e.TryGetValue<string>(out var text) ? text : null;
        if (response.StatusCode == HttpStatusCode.BadRequest && error == "invalid_grant")
        {
            return null;
        }

        if (response.StatusCode == HttpStatusCode.Unauthorized || error == "invalid_client")
        {
            throw new QuickBooksAuthorizationException("QuickBooks refused the app's credentials (invalid_client): check QuickBooks:ClientId and QuickBooks:ClientSecret.", (int)response.StatusCode, "invalid_client");
        }

        if (!response.IsSuccessStatusCode
            || body?["access_token"] is not JsonValue access || body["refresh_token"] is not JsonValue refresh
            || !access.TryGetValue<string>(out var accessToken) || !refresh.TryGetValue<string>(out var newRefreshToken))
        {
            throw new QuickBooksException($"The QuickBooks token endpoint answered {(int)response.StatusCode}{(error is null ? string.Empty : " " + error)} (intuit_tid {tid ?? "none"}).", (int)response.StatusCode, error, tid);
        }

        var lifetime = body["expires_in"] is JsonValue seconds && seconds.TryGetValue<int>(out var s) && s > 0 ? TimeSpan.FromSeconds(s) : TimeSpan.FromHours(1);
        return (accessToken, newRefreshToken, lifetime);
    }

    private sealed record Cached(string AccessToken, DateTimeOffset Expires);

    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "QuickBooks access token refreshed; the rotated refresh token is version {Version} of the Key Vault secret {Secret}")]
    private static partial void LogRefreshed(ILogger logger, string secret, string version);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Writing the rotated QuickBooks refresh token to the Key Vault secret {Secret} failed (try {Attempt}); trying again")]
    private static partial void LogWriteRetried(ILogger logger, Exception exception, string secret, int attempt);

    [LoggerMessage(EventId = 4, Level = LogLevel.Critical, Message = "Writing the rotated QuickBooks refresh token to the Key Vault secret {Secret} failed {Attempt} times: it is kept in memory and written before the next refresh; if this process stops first, QuickBooks must be reconnected (check the identity's role: Key Vault Secrets Officer)")]
    private static partial void LogWriteFailed(ILogger logger, Exception exception, string secret, int attempt);

    [LoggerMessage(EventId = 2, Level = LogLevel.Error, Message = "QuickBooks refused the refresh token in version {Version} of the Key Vault secret {Secret} (invalid_grant): reconnect QuickBooks")]
    private static partial void LogInvalidGrant(ILogger logger, string secret, string version);
}
