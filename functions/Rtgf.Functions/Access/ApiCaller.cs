using Rtgf.Pipeline.Access;

namespace Rtgf.Functions.Access;

/// <summary>
/// Who called: the API key <see cref="ApiAccessMiddleware"/> accepted for this request (its public id, owner, plan and
/// scopes; never the secret). Set as an <see cref="HttpContext.Features"/> feature; absent for an anonymous caller and on
/// routes the middleware does not guard, so a handler that needs a key asks <see cref="Of"/> rather than re-reading the
/// <c>Authorization</c> header.
/// </summary>
public sealed record ApiCaller(string KeyId, string Owner, string Plan, IReadOnlyList<string> Scopes)
{
    /// <summary>The key's caller, as the gate read it (the plan is the one its limits were counted under).</summary>
    public static ApiCaller From(ApiKeyRecord key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return new ApiCaller(key.Id, key.Owner, key.Plan, key.Scopes);
    }

    /// <summary>The request's caller, or null when it was anonymous (or not behind the access middleware).</summary>
    public static ApiCaller? Of(HttpContext http)
    {
        ArgumentNullException.ThrowIfNull(http);
        return http.Features.Get<ApiCaller>();
    }
}
