using System.Collections.Concurrent;
using System.Text.Json;
using Rtgf.Core.Encoding;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Verification;

/// <summary>
/// Decoded status lists and the current revocation epoch, each re-read after <see cref="MaxAge"/> (the same staleness a
/// client caching the status-list token for its max-age accepts). A list is decoded again only when its ETag changes.
/// </summary>
internal sealed class StatusLists(IRevocationReader revocations, TimeProvider time)
{
    public static readonly TimeSpan MaxAge = TimeSpan.FromSeconds(5);

    private readonly ConcurrentDictionary<string, CachedList> _lists = new(StringComparer.Ordinal);
    private (long Epoch, DateTimeOffset At)? _epoch;

    public async ValueTask<long> GetEpochAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_epoch is { } cached && now - cached.At < MaxAge)
        {
            return cached.Epoch;
        }

        var epoch = await revocations.GetEpochAsync(cancellationToken).ConfigureAwait(false);
        _epoch = (epoch, now);
        return epoch;
    }

    /// <summary>The list with its decoded statuses, or null when no list has that id.</summary>
    public async ValueTask<DecodedStatusList?> GetAsync(string listId, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        if (_lists.TryGetValue(listId, out var cached) && now - cached.At < MaxAge)
        {
            return cached.List;
        }

        var document = await revocations.GetStatusListAsync(listId, cancellationToken).ConfigureAwait(false);
        if (document is null)
        {
            _lists.TryRemove(listId, out _);
            return null;
        }

        var list = cached?.List is { } previous && string.Equals(previous.Document.ETag, document.ETag, StringComparison.Ordinal)
            ? previous
            : Decode(document);
        _lists[listId] = new CachedList(list, now);
        return list;
    }

    /// <summary>Reads <c>status_list.bits</c> and <c>status_list.lst</c> from the status-list token's payload.</summary>
    internal static DecodedStatusList Decode(StatusListDocument document)
    {
        try
        {
            var parts = document.Jwt.Split('.');
            if (parts.Length != 3)
            {
                throw new FormatException("the status list token is not a compact JWS");
            }

            using var payload = JsonDocument.Parse(Base64UrlStrict.Decode(parts[1], "The status list token payload"));
            var statusList = payload.RootElement.GetProperty("status_list");
            var bits = statusList.GetProperty("bits").GetInt32();
            var lst = statusList.GetProperty("lst").GetString() ?? throw new FormatException("'lst' is null");
            return new DecodedStatusList(document, StatusList.Decode(lst, bits), null);
        }
        catch (Exception ex) when (ex is FormatException or JsonException or KeyNotFoundException or InvalidOperationException)
        {
            return new DecodedStatusList(document, null, $"The status list '{document.ListId}' cannot be read: {ex.Message}");
        }
    }

    private sealed record CachedList(DecodedStatusList List, DateTimeOffset At);
}

/// <summary>A status list document with its statuses (or why they could not be read).</summary>
internal sealed record DecodedStatusList(StatusListDocument Document, StatusList? Statuses, string? Problem);
