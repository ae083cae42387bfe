using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Rtgf.Functions.Http;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Functions.Endpoints;

/// <summary>A family in the catalog with the link to its tokens.</summary>
internal sealed record CatalogFamily(string Family, long CurrentTokens, long RevokedTokens, string? LatestBuildId, DateTimeOffset? LatestPublishedAt, string Href);

/// <summary><c>GET /catalog</c>: every family and the latest publication.</summary>
internal sealed record CatalogDocument(IReadOnlyList<CatalogFamily> Families, Publication? LatestPublication);

/// <summary><c>GET /catalog/{family}</c>: a page of the family's current tokens, ordered by subject.</summary>
internal sealed record CatalogPage(string Family, IReadOnlyList<TokenSummary> Items, string? NextCursor, string? Next);

/// <summary>The catalog: families, counts, the latest publication, and each family's tokens with cursor paging.</summary>
internal static class CatalogEndpoints
{
    public const int DefaultPageSize = 100;
    public const int MaxPageSize = 500;
    public const int MaxCursorLength = 1024;

    internal static async Task<Ok<CatalogDocument>> GetCatalogAsync([FromServices] ITokenRegistry registry, CancellationToken cancellationToken)
    {
        var families = await registry.GetFamiliesAsync(cancellationToken).ConfigureAwait(false);
        var latest = await registry.GetLatestPublicationAsync(cancellationToken).ConfigureAwait(false);
        return TypedResults.Ok(new CatalogDocument(
            [.. families.OrderBy(f => f.Family, StringComparer.Ordinal)
                .Select(f => new CatalogFamily(f.Family, f.CurrentTokens, f.RevokedTokens, f.LatestBuildId, f.LatestPublishedAt, "/catalog/" + f.Family))],
            latest));
    }

    internal static async Task<Results<Ok<CatalogPage>, ProblemHttpResult>> GetFamilyPageAsync(
        string family, string? cursor, string? limit, [FromServices] ITokenRegistry registry, CancellationToken cancellationToken)
    {
        if (!QueryValues.IsFamilyName(family))
        {
            return ApiProblem.InvalidRequest($"'{TokenEndpoints.Truncate(family)}' is not a family name (lowercase letters, digits and hyphens).");
        }

        var pageSize = DefaultPageSize;
        if (limit is not null)
        {
            if (!QueryValues.TryParseNonNegative(limit, out var parsed) || parsed is < 1 or > MaxPageSize)
            {
                return ApiProblem.InvalidRequest($"limit must be a whole number from 1 to {MaxPageSize}.");
            }

            pageSize = (int)parsed;
        }

        if (cursor is { Length: 0 or > MaxCursorLength })
        {
            return ApiProblem.InvalidRequest($"cursor must be the nextCursor of a previous page (at most {MaxCursorLength} characters).");
        }

        var families = await registry.GetFamiliesAsync(cancellationToken).ConfigureAwait(false);
        if (!families.Any(f => string.Equals(f.Family, family, StringComparison.Ordinal)))
        {
            return ApiProblem.NotFound($"The catalog has no family '{family}'.");
        }

        RegistryPage<RegisteredToken> page;
        try
        {
            page = await registry.ListAsync(family, cursor, pageSize, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException)
        {
            return ApiProblem.InvalidRequest("cursor is not a cursor of this catalog: " + ex.Message);
        }

        var next = page.NextCursor is null
            ? null
            : string.Create(CultureInfo.InvariantCulture, $"/catalog/{family}?limit={pageSize}&cursor={Uri.EscapeDataString(page.NextCursor)}");
        return TypedResults.Ok(new CatalogPage(family, [.. page.Items.Select(TokenEndpoints.Summary)], page.NextCursor, next));
    }
}
