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

    /// <summary>How often a walk starts again when the catalogue moves under it.</summary>
    public const int MaxSearchWalks = 3;

    /// <summary>
    /// Every dataset <c>package_search</c> matches for <paramref name="query"/> (<c>q</c>) and optional filter
    /// <paramref name="filter"/> (<c>fq</c>), walked <c>rows</c>/<c>start</c> in a stable order (<c>sort=name asc</c>). A
    /// catalogue that changes during the walk shifts the offsets (a dataset skipped or seen twice): pages overlap by one
    /// row, and when the overlapping row is not the last one seen, a dataset id repeats, the <c>count</c> moves between
    /// pages, or the walk ends with another number of datasets than counted, the walk starts again; after
    /// <see cref="MaxSearchWalks"/> walks it fails. <c>start</c> advances by the rows a page actually returned, so a
    /// server whose <c>rows_max</c> is below <c>rows</c> still pages correctly. More than
    /// <see cref="MaxSearchResults"/> matches fail too. A hidden result (not active, or private) is left out.
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
                return [.. found.Where(d => !d.Hidden)];
            }

            if (walk == MaxSearchWalks)
            {
                throw new UpstreamFormatException($"CKAN {what}: the catalogue moved under each of {MaxSearchWalks} walks (count, overlap or total); it is changing too fast to read whole.");
            }
        }
    }

    /// <summary>
    /// One walk over the pages: the datasets, or null when the catalogue moved. After the first page each request starts
    /// at the last row already seen (<c>start = seen - 1</c>) and must find it there: a dataset inserted or deleted before
    /// the offset shifts that row, even when an insert and a delete leave <c>count</c> unchanged.
    /// </summary>
    private async Task<List<CkanDataset>?> WalkAsync(string query, string? filter, string what, CancellationToken cancellationToken)
    {
        var found = new List<CkanDataset>();
        var ids = new HashSet<string>(StringComparer.Ordinal);
        int? expected = null;
        while (true)
        {
            var start = Math.Max(0, found.Count - 1);
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
            var fresh = page;
            if (found.Count > 0)
            {
                if (page.Count == 0 || !string.Equals(page[0].Id, found[^1].Id, StringComparison.Ordinal))
                {
                    return null;
                }

                fresh = page[1..];
            }

            foreach (var dataset in fresh)
            {
                if (!ids.Add(dataset.Id))
                {
                    return null;
                }

                found.Add(dataset);
            }

            if (fresh.Count == 0 || found.Count >= count)
            {
                break;
            }
        }

        return found.Count == expected ? found : null;
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
