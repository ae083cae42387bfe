using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Endpoints;

/// <summary>A published status list.</summary>
internal sealed record StatusListView(string ListId, string Uri, long Epoch, DateTimeOffset IssuedAt, string Href);

/// <summary>
/// <c>GET /revocations</c>: the current epoch and status lists; with <c>?since=</c>, at most <c>limit</c> revocations after
/// that epoch in feed order (epoch, then token id; an epoch may span pages) of whole epochs only, <see cref="Epoch"/> the
/// last complete one as read with the page, and <see cref="NextCursor"/> (with <see cref="Next"/>, the link) to continue
/// from, null when there are no more.
/// </summary>
internal sealed record RevocationsDocument(
    long Epoch, long? Since, IReadOnlyList<StatusListView> StatusLists, IReadOnlyList<RevocationRecord>? Changes, string? NextCursor, string? Next);

/// <summary>Revocation epochs, changes since an epoch, and status-list tokens (<c>application/statuslist+jwt</c>).</summary>
internal static class RevocationEndpoints
{
    public const string StatusListMediaType = "application/statuslist+jwt";
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    internal static async Task<Results<Ok<RevocationsDocument>, ProblemHttpResult>> GetRevocationsAsync(
        string? since, string? limit, string? cursor, [FromServices] IRevocationReader revocations, CancellationToken cancellationToken)
    {
        long? sinceEpoch = null;
        if (since is not null)
        {
            if (!QueryValues.TryParseNonNegative(since, out var parsed))
            {
                return ApiProblem.InvalidRequest("since must be a revocation epoch (a non-negative whole number).");
            }

            sinceEpoch = parsed;
        }

        var pageSize = DefaultLimit;
        if (limit is not null)
        {
            if (!QueryValues.TryParseNonNegative(limit, out var parsed) || parsed is < 1 or > MaxLimit)
            {
                return ApiProblem.InvalidRequest($"limit must be a whole number from 1 to {MaxLimit}.");
            }

            pageSize = (int)parsed;
        }

        RevocationFeedPosition? resume = null;
        if (cursor is not null)
        {
            if (sinceEpoch is not { } from || !TryParseCursor(cursor, out resume) || resume.Epoch <= from)
            {
                return ApiProblem.InvalidRequest("cursor must be the nextCursor of a previous page, with the same since.");
            }
        }

        // Without since, the epoch is the last complete one, read before the lists: a client that starts from these lists
        // and follows the feed from that epoch misses nothing (it may see a revocation in both, which is harmless).
        var complete = sinceEpoch is null ? await revocations.GetCompleteEpochAsync(cancellationToken).ConfigureAwait(false) : 0;
        var lists = await revocations.ListStatusListsAsync(cancellationToken).ConfigureAwait(false);
        var views = lists.OrderBy(l => l.ListId, StringComparer.Ordinal)
            .Select(l => new StatusListView(l.ListId, l.Uri, l.Epoch, l.IssuedAt, "/revocations/status-lists/" + l.ListId))
            .ToList();
        if (sinceEpoch is null)
        {
            return TypedResults.Ok(new RevocationsDocument(complete, null, views, null, null, null));
        }

        // One more than the page tells whether another page follows. The page's epoch comes from the same head read as its
        // changes: the last epoch the feed held whole, so the epoch reported never names one the page left out.
        var page = await revocations.GetChangesAfterAsync(resume ?? new RevocationFeedPosition(sinceEpoch.Value, null), pageSize + 1, cancellationToken).ConfigureAwait(false);
        var (epoch, records) = (page.CompleteEpoch, page.Changes);
        if (records.Count <= pageSize)
        {
            return TypedResults.Ok(new RevocationsDocument(epoch, sinceEpoch, views, records, null, null));
        }

        var changes = records.Take(pageSize).ToList();
        var nextCursor = string.Create(CultureInfo.InvariantCulture, $"{changes[^1].Epoch}.{changes[^1].TokenId}");
        var next = string.Create(CultureInfo.InvariantCulture, $"/revocations?since={sinceEpoch.Value}&limit={pageSize}&cursor={nextCursor}");
        return TypedResults.Ok(new RevocationsDocument(epoch, sinceEpoch, views, changes, nextCursor, next));
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetStatusListAsync(
        string family, string n, HttpContext http, [FromServices] IRevocationReader revocations, CancellationToken cancellationToken)
    {
        if (!StatusListId.TryParse(family, n, out var id))
        {
            return ApiProblem.InvalidRequest("Status lists live at /revocations/status-lists/<family>/<n> (a family name and a whole number).");
        }

        var listId = id.ToString();
        var document = await revocations.GetStatusListAsync(listId, cancellationToken).ConfigureAwait(false);
        return document is null
            ? ApiProblem.NotFound($"No status list '{listId}' is published.")
            : HttpCaching.ShortLivedBytes(http, Encoding.ASCII.GetBytes(document.Jwt), StatusListMediaType, document.ETag);
    }

    /// <summary>A cursor is <c>&lt;epoch&gt;.&lt;token id&gt;</c>: the last revocation of the previous page.</summary>
    private static bool TryParseCursor(string cursor, [NotNullWhen(true)] out RevocationFeedPosition? position)
    {
        position = null;
        var dot = cursor.IndexOf('.', StringComparison.Ordinal);
        if (dot <= 0 || !QueryValues.TryParseNonNegative(cursor[..dot], out var epoch) || epoch < 1 || !QueryValues.IsTokenId(cursor[(dot + 1)..]))
        {
            return false;
        }

        position = new RevocationFeedPosition(epoch, cursor[(dot + 1)..]);
        return true;
    }
}
