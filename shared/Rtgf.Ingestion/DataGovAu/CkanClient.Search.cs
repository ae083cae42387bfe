using System.Globalization;
using System.Text.Json;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.DataGovAu;

public sealed partial class CkanClient
{
    /// <summary>Rows a <c>package_search</c> page asks for.</summary>
    public const int DefaultPageSize = 100;

    /// <summary>
    /// The most datasets one search may match. A watch search is meant to be narrow; past this the run fails naming the
    /// query rather than keep an arbitrary first part (which would make the rest look withdrawn).
    /// </summary>
    public const int MaxSearchResults = 1000;

    /// <summary>How often a walk starts again when the result count moves between its pages.</summary>
    public const int MaxSearchWalks = 3;

    /// <summary>
    /// Every dataset <c>package_search</c> matches for <paramref name="query"/> (<c>q</c>) and optional filter
    /// <paramref name="filter"/> (<c>fq</c>), walked <c>rows</c>/<c>start</c> in a stable order (<c>sort=name asc</c>). A
    /// catalogue that changes during the walk shifts the offsets (a dataset skipped or seen twice), so when the
    /// <c>count</c> moves between pages, or the walk ends with another number of datasets than counted, the walk starts
    /// again; after <see cref="MaxSearchWalks"/> walks it fails. More than <see cref="MaxSearchResults"/> matches fail too.
    /// </summary>
    public async Task<IReadOnlyList<CkanDataset>> PackageSearchAsync(string query, string? filter = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var what = $"package_search q='{query}'" + (filter is null ? string.Empty : $" fq='{filter}'");
        for (var walk = 1; ; walk++)
        {
            var found = await WalkAsync(query, filter, what, cancellationToken).ConfigureAwait(false);
            if (found is not null)
            {
                return found;
            }

            if (walk == MaxSearchWalks)
            {
                throw new UpstreamFormatException($"CKAN {what}: the result count moved during each of {MaxSearchWalks} walks; the catalogue is changing too fast to read whole.");
            }
        }
    }

    /// <summary>One walk over the pages: the datasets, or null when the count moved.</summary>
    private async Task<List<CkanDataset>?> WalkAsync(string query, string? filter, string what, CancellationToken cancellationToken)
    {
        var found = new Dictionary<string, CkanDataset>(StringComparer.Ordinal);
        int? expected = null;
        for (var start = 0; ; start += pageSize)
        {
            var (count, page) = await PageAsync(query, filter, start, what, cancellationToken).ConfigureAwait(false);
            if (count > MaxSearchResults)
            {
                throw new UpstreamFormatException($"CKAN {what}: matches {count} datasets, more than the {MaxSearchResults} a watch search may hold: narrow the search.");
            }

            if (expected is { } e && e != count)
            {
                return null;
            }

            expected = count;
            foreach (var dataset in page)
            {
                found.TryAdd(dataset.Id, dataset);
            }

            if (page.Count == 0 || start + pageSize >= count)
            {
                break;
            }
        }

        return found.Count == expected ? [.. found.Values] : null;
    }

    private async Task<(int Count, List<CkanDataset> Page)> PageAsync(string query, string? filter, int start, string what, CancellationToken cancellationToken)
    {
        var path = ActionPath + "package_search?q=" + Uri.EscapeDataString(query)
            + (filter is null ? string.Empty : "&fq=" + Uri.EscapeDataString(filter))
            + "&sort=" + Uri.EscapeDataString("name asc")
            + "&rows=" + pageSize.ToString(CultureInfo.InvariantCulture)
            + "&start=" + start.ToString(CultureInfo.InvariantCulture);
        using var request = new HttpRequestMessage(HttpMethod.Get, path).WithOperation("ckan-package-search");
        using var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        var body = await ReadAsync(response, what, cancellationToken).ConfigureAwait(false);
        var action = $"{what} start={start.ToString(CultureInfo.InvariantCulture)}";
        using var document = CkanJson.Parse(body, action);
        var result = CkanJson.Result(document, action);
        response.EnsureSuccessStatusCode();
        if (result.ValueKind != JsonValueKind.Object
            || !result.TryGetProperty("count", out var c) || c.ValueKind != JsonValueKind.Number || !c.TryGetInt32(out var count) || count < 0)
        {
            throw new UpstreamFormatException($"CKAN {action}: the result has no whole 'count'.");
        }

        if (!result.TryGetProperty("results", out var results) || results.ValueKind != JsonValueKind.Array)
        {
            throw new UpstreamFormatException($"CKAN {action}: the result has no 'results' array.");
        }

        if (results.GetArrayLength() > pageSize)
        {
            throw new UpstreamFormatException($"CKAN {action}: {results.GetArrayLength()} results on a page of {pageSize} rows.");
        }

        return (count, [.. results.EnumerateArray().Select(r => CkanJson.Dataset(r, action))]);
    }
}
