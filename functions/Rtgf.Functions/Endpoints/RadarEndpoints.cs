using System.Globalization;
using System.Text.Json;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Radar;

namespace Rtgf.Functions.Endpoints;

/// <summary>One radar item as the API shows it; <see cref="Rto"/> is null for an item every RTO sees (<see cref="Broadcast"/>).</summary>
internal sealed record RadarEntry(
    string Id, string Kind, string? Rto, bool Broadcast, string Subject, string Title, string Detail, string Source, string SnapshotDigest, DateTimeOffset ObservedAt);

/// <summary>A page of an RTO's radar: items oldest first, the cursor to poll with (<c>since</c>) and the next page's URL.</summary>
internal sealed record RadarPage(string Rto, IReadOnlyList<RadarEntry> Items, string? NextCursor, string? Next);

/// <summary><c>GET /v1/rtos/{code}/radar?since=&amp;limit=</c> over <see cref="RadarFeed"/>.</summary>
internal static class RadarEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;
    public const int MaxCodeLength = 16;

    private static readonly System.Buffers.SearchValues<char> LowerHex = System.Buffers.SearchValues.Create("0123456789abcdef");

    public static async Task<IResult> ListAsync(HttpRequest request, RadarFeed feed, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        var code = QueryValues.Route(request, "code") ?? "";
        if (code.Length is 0 or > MaxCodeLength || !code.All(char.IsAsciiLetterOrDigit))
        {
            return ApiProblem.InvalidRequest($"'{TokenEndpoints.Truncate(code)}' is not an RTO code (1 to {MaxCodeLength} letters or digits).");
        }

        var limit = DefaultLimit;
        if (QueryValues.Get(request, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > MaxLimit))
        {
            return ApiProblem.InvalidRequest($"'limit' must be a whole number from 1 to {MaxLimit}.");
        }

        string? since = null;
        if (QueryValues.Get(request, "since") is { } cursor && (since = ContinuationCursor.Decode(cursor)) is null || since is not null && !IsRowKey(since))
        {
            return ApiProblem.InvalidRequest("'since' is not a cursor this API gave out.");
        }

        var page = await feed.ReadAsync(code, since, limit, cancellationToken).ConfigureAwait(false);
        var next = page.After is { } after ? ContinuationCursor.Encode(after) : null;
        var items = page.Items
            .Select(i => new RadarEntry(i.Id, i.Kind, i.IsBroadcast ? null : i.Rto, i.IsBroadcast, i.Subject, i.Title, i.Detail, i.Source, i.SnapshotDigest, i.ObservedAt))
            .ToList();
        var url = next is null ? null : string.Create(CultureInfo.InvariantCulture, $"{request.Path}?since={Uri.EscapeDataString(next)}&limit={limit}");
        return TypedResults.Json(new RadarPage(code, items, next, url), json);
    }

    /// <summary>A radar row key: 12 digits, '-', 64 lowercase hex digits (what <see cref="RadarItem.RowKey"/> writes).</summary>
    private static bool IsRowKey(string key) =>
        key.Length == 77 && key[12] == '-' && key.AsSpan(0, 12).ContainsAnyExceptInRange('0', '9') is false
        && key.AsSpan(13).ContainsAnyExcept(LowerHex) is false;
}
