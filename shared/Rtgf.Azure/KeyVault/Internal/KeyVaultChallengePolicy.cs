using System.Text.RegularExpressions;
using Azure.Core;
using Azure.Core.Pipeline;

namespace Rtgf.Azure.KeyVault.Internal;

/// <summary>
/// Key Vault's challenge-based bearer authentication. Until the vault has named its authority, requests go without a
/// token and without a body; the 401 <c>WWW-Authenticate: Bearer authorization="…/{tenant}", resource="…"</c> (or
/// <c>scope="…"</c>) gives the scope and tenant, a token is fetched for it and the request is sent again with its body.
/// Later requests use the learned scope directly. Tokens are only ever sent over HTTPS and never logged.
/// </summary>
internal sealed partial class KeyVaultChallengePolicy : BearerTokenAuthenticationPolicy
{
    private const string StashedContentKey = "Rtgf.KeyVault.StashedContent";

    private readonly bool _verifyResource;
    private Challenge? _challenge;

    public KeyVaultChallengePolicy(TokenCredential credential, bool verifyResource)
        : base(credential, Array.Empty<string>())
    {
        _verifyResource = verifyResource;
    }

    protected override ValueTask AuthorizeRequestAsync(HttpMessage message)
    {
        RequireHttps(message);
        if (Volatile.Read(ref _challenge) is { } challenge)
        {
            return AuthenticateAndAuthorizeRequestAsync(message, challenge.Context(message));
        }

        StashContent(message);
        return ValueTask.CompletedTask;
    }

    protected override void AuthorizeRequest(HttpMessage message)
    {
        RequireHttps(message);
        if (Volatile.Read(ref _challenge) is { } challenge)
        {
            AuthenticateAndAuthorizeRequest(message, challenge.Context(message));
            return;
        }

        StashContent(message);
    }

    protected override async ValueTask<bool> AuthorizeRequestOnChallengeAsync(HttpMessage message)
    {
        if (!TryReadChallenge(message, out var challenge))
        {
            return false;
        }

        await AuthenticateAndAuthorizeRequestAsync(message, challenge.Context(message)).ConfigureAwait(false);
        return true;
    }

    protected override bool AuthorizeRequestOnChallenge(HttpMessage message)
    {
        if (!TryReadChallenge(message, out var challenge))
        {
            return false;
        }

        AuthenticateAndAuthorizeRequest(message, challenge.Context(message));
        return true;
    }

    /// <summary>Parses <c>Bearer key="value", …</c>; null when the header is not a Bearer challenge with a resource or scope.</summary>
    internal static Challenge? Parse(string? header)
    {
        if (header is null || !header.TrimStart().StartsWith("Bearer", StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (Match match in ParameterPattern().Matches(header))
        {
            parameters[match.Groups["key"].Value] = match.Groups["value"].Value;
        }

        string scope;
        if (parameters.TryGetValue("scope", out var explicitScope) && explicitScope.Length > 0)
        {
            scope = explicitScope;
        }
        else if (parameters.TryGetValue("resource", out var resource) && resource.Length > 0)
        {
            scope = resource.TrimEnd('/') + "/.default";
        }
        else
        {
            return null;
        }

        string? tenant = null;
        if ((parameters.TryGetValue("authorization", out var authority) || parameters.TryGetValue("authorization_uri", out authority))
            && Uri.TryCreate(authority, UriKind.Absolute, out var authorityUri))
        {
            tenant = authorityUri.AbsolutePath.Trim('/').Split('/')[^1] is { Length: > 0 } last ? last : null;
        }

        return new Challenge(scope, tenant);
    }

    private static void RequireHttps(HttpMessage message)
    {
        if (message.Request.Uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new InvalidOperationException("Key Vault bearer tokens are only sent over HTTPS; the request URI is " + message.Request.Uri.Scheme + ".");
        }
    }

    private static void StashContent(HttpMessage message)
    {
        // Like the Azure SDK: nothing but the path reaches the server before it has named its authority.
        if (message.Request.Content is { } content)
        {
            message.SetProperty(StashedContentKey, content);
            message.Request.Content = null;
        }
    }

    private bool TryReadChallenge(HttpMessage message, out Challenge challenge)
    {
        challenge = null!;
        message.Response.Headers.TryGetValue("WWW-Authenticate", out var header);
        if (Parse(header) is not { } parsed)
        {
            return false;
        }

        if (_verifyResource)
        {
            var scopeHost = Uri.TryCreate(parsed.Scope, UriKind.Absolute, out var scopeUri) ? scopeUri.Host : parsed.Scope;
            var requestHost = message.Request.Uri.Host ?? string.Empty;
            if (!requestHost.Equals(scopeHost, StringComparison.OrdinalIgnoreCase)
                && !requestHost.EndsWith("." + scopeHost, StringComparison.OrdinalIgnoreCase))
            {
                throw new InvalidOperationException(
                    $"The Key Vault challenge names resource '{scopeHost}', which is not a parent domain of the vault host '{requestHost}'. " +
                    "No token was requested. Set DisableChallengeResourceVerification only for a server you trust (a local stand-in).");
            }
        }

        if (message.TryGetProperty(StashedContentKey, out var stashed) && stashed is RequestContent content)
        {
            message.Request.Content = content;
        }

        Volatile.Write(ref _challenge, parsed);
        challenge = parsed;
        return true;
    }

    [GeneratedRegex("""(?<key>[A-Za-z_]+)\s*=\s*"(?<value>[^"]*)"?""")]
    private static partial Regex ParameterPattern();

    internal sealed record Challenge(string Scope, string? TenantId)
    {
        public TokenRequestContext Context(HttpMessage message) =>
            new([Scope], parentRequestId: message.Request.ClientRequestId, tenantId: TenantId);
    }
}
