using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace Rtgf.UpstreamSimulator.QuickBooks;

/// <summary>
/// The QuickBooks Online stand-in's state: one app (client id and secret), one company (realm), its OAuth 2 tokens and
/// its sales and refund receipts, the <c>requestid</c> answers already given, and a call count per operation.
/// Refresh tokens rotate strictly: each refresh issues a new refresh token and the one used stops working at once
/// (docs/research/quickbooks.md: Intuit's exact grace for the old token could not be verified, so the stand-in is strict).
/// </summary>
internal sealed class QuickBooksCompany(string clientId, string clientSecret, string realmId, TimeProvider time)
{
    public const int AccessTokenSeconds = 3600;
    public const int RefreshTokenSeconds = 8_726_400;
    public const int DocNumberMaxLength = 21;
    public const int PrivateNoteMaxLength = 4000;
    public const int RequestIdMaxLength = 50;
    public const int MaxResults = 1000;

    private readonly Dictionary<string, DateTimeOffset> _accessTokens = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refreshTokens = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<JsonObject>> _documents = new(StringComparer.Ordinal) { ["SalesReceipt"] = [], ["RefundReceipt"] = [] };
    private readonly Dictionary<string, (int Status, string Body)> _answers = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _calls = new(StringComparer.Ordinal);
    private readonly HashSet<string> _refused = new(StringComparer.Ordinal);
    private long _nextId = 100;
    private long _tokenSerial;
    private long _tid;

    public object Gate { get; } = new();

    public string ClientId => clientId;

    public string ClientSecret => clientSecret;

    public string RealmId => realmId;

    public TimeProvider Time => time;

    public static IReadOnlyList<string> Kinds { get; } = ["SalesReceipt", "RefundReceipt"];

    /// <summary>The user connects the app (the consent flow's end): a fresh refresh token for the realm.</summary>
    public string Connect()
    {
        lock (Gate)
        {
            var token = NewToken("RT1");
            _refreshTokens.Add(token);
            return token;
        }
    }

    /// <summary>grant_type=refresh_token: a new access token and a new refresh token; the used one is revoked. Null: invalid_grant.</summary>
    public (string AccessToken, string RefreshToken)? Refresh(string refreshToken)
    {
        lock (Gate)
        {
            if (!_refreshTokens.Remove(refreshToken))
            {
                return null;
            }

            var access = NewToken("AT");
            var refresh = NewToken("RT1");
            _accessTokens[access] = time.GetUtcNow().AddSeconds(AccessTokenSeconds);
            _refreshTokens.Add(refresh);
            return (access, refresh);
        }
    }

    public bool AccessTokenValid(string token)
    {
        lock (Gate)
        {
            return _accessTokens.TryGetValue(token, out var expires) && time.GetUtcNow() < expires;
        }
    }

    /// <summary>Scenario: every access token issued so far expires now (the next API call is a 401).</summary>
    public int ExpireAccessTokens()
    {
        lock (Gate)
        {
            var count = _accessTokens.Count;
            _accessTokens.Clear();
            return count;
        }
    }

    /// <summary>Scenario: the user disconnected the app; every refresh token is revoked (the next refresh is invalid_grant).</summary>
    public int RevokeRefreshTokens()
    {
        lock (Gate)
        {
            var count = _refreshTokens.Count;
            _refreshTokens.Clear();
            return count;
        }
    }

    /// <summary>From now on a create with this DocNumber is refused with a business validation fault (as a closed period or a deleted item would be).</summary>
    public void Refuse(string docNumber)
    {
        lock (Gate)
        {
            _refused.Add(docNumber);
        }
    }

    public bool Refused(string? docNumber)
    {
        lock (Gate)
        {
            return docNumber is not null && _refused.Contains(docNumber);
        }
    }

    public void Count(string operation)
    {
        lock (Gate)
        {
            _calls[operation] = _calls.GetValueOrDefault(operation) + 1;
        }
    }

    public IReadOnlyDictionary<string, long> Calls()
    {
        lock (Gate)
        {
            return new SortedDictionary<string, long>(_calls, StringComparer.Ordinal);
        }
    }

    public IReadOnlyList<JsonObject> Documents(string kind)
    {
        lock (Gate)
        {
            return [.. _documents[kind].Select(d => (JsonObject)d.DeepClone())];
        }
    }

    public JsonObject? Find(string kind, string id)
    {
        lock (Gate)
        {
            return _documents[kind].FirstOrDefault(d => (string?)d["Id"] == id)?.DeepClone() as JsonObject;
        }
    }

    /// <summary>The answer already given to this requestid, if any (Intuit: the same requestid gets the same response, no second operation).</summary>
    public (int Status, string Body)? Answer(string requestId)
    {
        lock (Gate)
        {
            return _answers.TryGetValue(requestId, out var answer) ? answer : null;
        }
    }

    /// <summary>Stores a created document (and the answer for its requestid) in one step, so two racing requests with one requestid create one document.</summary>
    public (int Status, string Body) Create(string kind, JsonObject document, string? requestId, Func<JsonObject, string> answer)
    {
        lock (Gate)
        {
            if (requestId is not null && _answers.TryGetValue(requestId, out var earlier))
            {
                return earlier;
            }

            var now = time.GetUtcNow();
            document["Id"] = (++_nextId).ToString(CultureInfo.InvariantCulture);
            document["SyncToken"] = "0";
            document["domain"] = "QBO";
            document["sparse"] = false;
            document["MetaData"] = new JsonObject { ["CreateTime"] = Format(now), ["LastUpdatedTime"] = Format(now) };
            _documents[kind].Add(document);
            var result = (200, answer(document));
            if (requestId is not null)
            {
                _answers[requestId] = result;
            }

            return result;
        }
    }

    public static string Format(DateTimeOffset time) => time.ToString("yyyy-MM-dd'T'HH:mm:ss.fffzzz", CultureInfo.InvariantCulture);

    /// <summary>The next transaction id for an <c>intuit_tid</c> header.</summary>
    public string NextTid() => "1-" + Interlocked.Increment(ref _tid).ToString("x8", CultureInfo.InvariantCulture) + "-sim";

    // Opaque and unguessable enough for a stand-in (no randomness: the simulator is deterministic), unique per issue.
    private string NewToken(string prefix)
    {
        var serial = (++_tokenSerial).ToString(CultureInfo.InvariantCulture);
        return prefix + "-" + serial + "-" + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(clientSecret + "/" + realmId + "/" + prefix + "/" + serial)))[..32];
    }
}
