using Azure.Core;

namespace Rtgf.Azure.Tests.KeyVault;

/// <summary>A credential that records every token request (scopes and tenant) and hands out a fixed token.</summary>
internal sealed class RecordingCredential(string token = "test-token") : TokenCredential
{
    private readonly List<TokenRequestContext> _requests = [];

    public IReadOnlyList<TokenRequestContext> Requests
    {
        get
        {
            lock (_requests)
            {
                return [.. _requests];
            }
        }
    }

    public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
    {
        lock (_requests)
        {
            _requests.Add(requestContext);
            return new AccessToken(token, new DateTimeOffset(2100, 1, 1, 0, 0, 0, TimeSpan.Zero));
        }
    }

    public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
        ValueTask.FromResult(GetToken(requestContext, cancellationToken));
}
