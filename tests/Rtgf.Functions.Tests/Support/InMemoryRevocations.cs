using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// Revocations in memory over one real status list per family (IETF encoding, signed <c>statuslist+jwt</c> by the issuer
/// key): revoking sets the bit, bumps the epoch and re-signs the list, like the real service.
/// </summary>
public sealed class InMemoryRevocations(ISigner issuer, InMemoryTokenRegistry registry, IPublicationFreeze freeze, TimeProvider time) : IRevocationReader, IRevocationService
{
    private readonly Dictionary<string, (StatusList List, StatusListDocument Document)> _lists = new(StringComparer.Ordinal);
    private readonly List<RevocationRecord> _records = [];
    private long _epoch;

    /// <summary>When set, revocations refuse as the publisher does while another plan is in progress.</summary>
    public string? PublicationInProgress { get; set; }

    public async Task AddListAsync(string listId, string uri, int capacity)
    {
        var list = new StatusList(capacity);
        _lists[listId] = (list, await SignAsync(listId, uri, list));
    }

    public Task<long> GetEpochAsync(CancellationToken cancellationToken = default) => Task.FromResult(_epoch);

    public Task<IReadOnlyList<RevocationRecord>> GetChangesSinceAsync(long sinceEpoch, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RevocationRecord>>([.. _records.Where(r => r.Epoch > sinceEpoch).OrderBy(r => r.Epoch).ThenBy(r => r.TokenId, StringComparer.Ordinal).Take(max)]);

    public Task<IReadOnlyList<RevocationRecord>> GetChangesAfterAsync(RevocationFeedPosition after, int max, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RevocationRecord>>([.. _records
            .Where(r => r.Epoch > after.Epoch || (r.Epoch == after.Epoch && after.TokenId is not null && string.CompareOrdinal(r.TokenId, after.TokenId) > 0))
            .OrderBy(r => r.Epoch).ThenBy(r => r.TokenId, StringComparer.Ordinal).Take(max)]);

    public Task<StatusListDocument?> GetStatusListAsync(string listId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_lists.TryGetValue(listId, out var list) ? list.Document : null);

    public Task<IReadOnlyList<StatusListDocument>> ListStatusListsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StatusListDocument>>([.. _lists.Values.Select(l => l.Document).OrderBy(d => d.ListId, StringComparer.Ordinal)]);

    public Task<RevocationRecord?> GetRevocationAsync(string tokenId, CancellationToken cancellationToken = default) =>
        Task.FromResult(_records.FirstOrDefault(r => r.TokenId == tokenId));

    public async Task<RevocationRecord> RevokeAsync(string tokenId, string reason, string actor, CancellationToken cancellationToken = default) =>
        await RevokeWithKindAsync(tokenId, "manual", reason, cancellationToken);

    public async Task<RevocationRecord> RevokeWithKindAsync(string tokenId, string kind, string reason, CancellationToken cancellationToken = default)
    {
        if (_records.FirstOrDefault(r => r.TokenId == tokenId) is { } existing)
        {
            return existing;
        }

        var token = await registry.GetAsync(tokenId, cancellationToken) ?? throw new KeyNotFoundException($"No token '{tokenId}'.");
        if ((await freeze.GetAsync(cancellationToken)).IsFrozen)
        {
            throw new PublicationFrozenException("Publication is frozen.");
        }

        if (PublicationInProgress is { } other)
        {
            throw new PublicationWaitException(PublicationWaitReason.Busy, $"Publication '{other}' is unfinished.");
        }

        var listId = token.StatusListUri[(token.StatusListUri.IndexOf("/revocations/status-lists/", StringComparison.Ordinal) + "/revocations/status-lists/".Length)..];
        var (list, document) = _lists[listId];
        list[(int)token.StatusIndex] = StatusList.Invalid;
        _epoch++;
        _lists[listId] = (list, await SignAsync(listId, document.Uri, list));
        var record = new RevocationRecord(_epoch, tokenId, token.Family, token.Subject, token.StatusListUri, token.StatusIndex, kind, reason, null, time.GetUtcNow(), 10_000 + _epoch);
        _records.Add(record);
        return record;
    }

    private async Task<StatusListDocument> SignAsync(string listId, string uri, StatusList list)
    {
        var now = time.GetUtcNow();
        var header = Base64UrlStrict.Encode(Encoding.UTF8.GetBytes($"{{\"alg\":\"ES256\",\"kid\":\"{issuer.PublicKey.Thumbprint}\",\"typ\":\"statuslist+jwt\"}}"));
        var payload = Base64UrlStrict.Encode(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture,
            $"{{\"iat\":{now.ToUnixTimeSeconds()},\"rev_epoch\":{_epoch},\"status_list\":{{\"bits\":{list.Bits},\"lst\":\"{list.Encode()}\"}},\"sub\":\"{uri}\"}}")));
        var signature = await issuer.SignDigestAsync(SHA256.HashData(Encoding.ASCII.GetBytes(header + "." + payload)));
        var jwt = header + "." + payload + "." + Base64UrlStrict.Encode(signature);
        return new StatusListDocument(listId, uri, jwt, _epoch, now, "\"" + Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(jwt)))[..16] + "\"");
    }
}
