using System.Text;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Revocation;

namespace Rtgf.Functions.Endpoints;

/// <summary>A published status list.</summary>
internal sealed record StatusListView(string ListId, string Uri, long Epoch, DateTimeOffset IssuedAt, string Href);

/// <summary>
/// <c>GET /revocations</c>: the current epoch and status lists; with <c>?since=</c>, the revocations after that epoch,
/// whole epochs at a time, and <see cref="NextSince"/> to continue from (null when there are no more).
/// </summary>
internal sealed record RevocationsDocument(long Epoch, long? Since, IReadOnlyList<StatusListView> StatusLists, IReadOnlyList<RevocationRecord>? Changes, long? NextSince);

/// <summary>Revocation epochs, changes since an epoch, and status-list tokens (<c>application/statuslist+jwt</c>).</summary>
internal static class RevocationEndpoints
{
    public const string StatusListMediaType = "application/statuslist+jwt";
    public const int DefaultLimit = 500;
    public const int MaxLimit = 1000;

    // One epoch can revoke many tokens; a page holds whole epochs, so one epoch may exceed the limit up to this many.
    public const int MaxEpochSize = 100_000;

    public static FunctionDefinition Function { get; } =
        FunctionDefinition.Http("revocations", "revocations/{*path}", AuthorizationLevel.Anonymous, "get", "head");

    public static RouteGroupBuilder MapRevocationEndpoints(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapFunction(Function);
        group.MapGet(string.Empty, GetRevocationsAsync)
            .WithName("GetRevocations")
            .WithSummary("The current revocation epoch and status lists; with ?since=, the revocations after that epoch (paged by epoch)");
        group.MapGet("/status-lists/{family}/{n}", GetStatusListAsync)
            .WithName("GetStatusList")
            .WithSummary("A status list token (IETF Token Status List)")
            .Produces(StatusCodes.Status200OK, contentType: StatusListMediaType);
        return group;
    }

    internal static async Task<Results<Ok<RevocationsDocument>, ProblemHttpResult>> GetRevocationsAsync(
        string? since, string? limit, [FromServices] IRevocationReader revocations, CancellationToken cancellationToken)
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

        var epoch = await revocations.GetEpochAsync(cancellationToken).ConfigureAwait(false);
        var lists = await revocations.ListStatusListsAsync(cancellationToken).ConfigureAwait(false);
        var views = lists.OrderBy(l => l.ListId, StringComparer.Ordinal)
            .Select(l => new StatusListView(l.ListId, l.Uri, l.Epoch, l.IssuedAt, "/revocations/status-lists/" + l.ListId))
            .ToList();
        if (sinceEpoch is null)
        {
            return TypedResults.Ok(new RevocationsDocument(epoch, null, views, null, null));
        }

        var (changes, next) = await PageAsync(revocations, sinceEpoch.Value, pageSize, cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new RevocationsDocument(epoch, sinceEpoch, views, changes, next));
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetStatusListAsync(
        string family, string n, HttpContext http, [FromServices] IRevocationReader revocations, CancellationToken cancellationToken)
    {
        if (!QueryValues.IsFamilyName(family) || !QueryValues.TryParseNonNegative(n, out var number))
        {
            return ApiProblem.InvalidRequest("Status lists live at /revocations/status-lists/<family>/<n> (a family name and a whole number).");
        }

        var listId = family + "/" + number.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var document = await revocations.GetStatusListAsync(listId, cancellationToken).ConfigureAwait(false);
        return document is null
            ? ApiProblem.NotFound($"No status list '{listId}' is published.")
            : HttpCaching.ShortLivedBytes(http, Encoding.ASCII.GetBytes(document.Jwt), StatusListMediaType, document.ETag);
    }

    /// <summary>Whole epochs after <paramref name="since"/>, at most <paramref name="limit"/> records unless one epoch alone is larger.</summary>
    private static async Task<(IReadOnlyList<RevocationRecord> Changes, long? Next)> PageAsync(
        IRevocationReader revocations, long since, int limit, CancellationToken cancellationToken)
    {
        var records = await revocations.GetChangesSinceAsync(since, limit + 1, cancellationToken).ConfigureAwait(false);
        if (records.Count <= limit)
        {
            return (records, null);
        }

        var cut = records[limit].Epoch;
        var whole = records.Where(r => r.Epoch < cut).ToList();
        if (whole.Count > 0)
        {
            return (whole, whole[^1].Epoch);
        }

        // The first epoch alone is larger than the page: return all of it.
        var epoch = records[0].Epoch;
        var all = await revocations.GetChangesSinceAsync(since, MaxEpochSize + 1, cancellationToken).ConfigureAwait(false);
        var first = all.Where(r => r.Epoch == epoch).ToList();
        return (first, all.Count > first.Count ? epoch : null);
    }
}
