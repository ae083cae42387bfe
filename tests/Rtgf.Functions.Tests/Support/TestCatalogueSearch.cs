using Rtgf.Register.Search;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// A minimal stand-in for the search seam until the Lucene engine (shared/Rtgf.Register/Search) is merged: exact code
/// first, then documents whose code, title or names contain the text (ignoring case), ordered by code; filters and facets
/// as the seam describes. Not an engine: it only lets the tests drive <c>/v1/search</c>'s wiring.
/// </summary>
internal sealed class TestCatalogueSearch(IReadOnlyList<SearchDocument> documents) : ICatalogueSearch
{
    public int Disposed { get; private set; }

    public static ICatalogueSearch Build(IEnumerable<SearchDocument> documents) => new TestCatalogueSearch([.. documents]);

    public ValueTask<SearchResults> SearchAsync(SearchQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(Disposed > 0, this);
        if (offset < 0 || limit < 1 || offset + limit > 10_000)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), "offset + limit must be at most 10,000.");
        }

        static bool Is(string? value, string? wanted) => wanted is null || string.Equals(value, wanted, StringComparison.OrdinalIgnoreCase);
        var text = query.Text.Trim();
        var matches = documents
            .Where(d => d.Code.Equals(text, StringComparison.OrdinalIgnoreCase) || d.Code.Contains(text, StringComparison.OrdinalIgnoreCase)
                || d.Title.Contains(text, StringComparison.OrdinalIgnoreCase) || d.Names.Any(n => n.Contains(text, StringComparison.OrdinalIgnoreCase))
                || (d.Abn is not null && d.Abn == text))
            .Where(d => Is(d.Kind, query.Kind) && Is(d.Status, query.Status) && Is(d.RegistrationManager, query.RegistrationManager)
                && (query.ComponentType is null || d.ComponentTypes.Any(t => Is(t, query.ComponentType)))
                && (query.State is null || d.States.Any(s => Is(s, query.State))))
            .OrderBy(d => d.Code.Equals(text, StringComparison.OrdinalIgnoreCase) ? 0 : 1)
            .ThenBy(d => d.Kind, StringComparer.Ordinal).ThenBy(d => d.Code, StringComparer.Ordinal)
            .ToList();
        var facets = new[]
        {
            Facet("kind", matches.Select(d => (string?)d.Kind)),
            Facet("status", matches.Select(d => d.Status)),
        };
        return ValueTask.FromResult(new SearchResults(
            matches.Count,
            [.. matches.Skip(offset).Take(limit).Select(d => new SearchHit(d.Kind, d.Code, d.Code.Equals(text, StringComparison.OrdinalIgnoreCase) ? 2f : 1f))],
            facets));
    }

    public void Dispose() => Disposed++;

    private static SearchFacet Facet(string name, IEnumerable<string?> values) =>
        new(name, [.. values.OfType<string>().GroupBy(v => v, StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => new FacetValue(g.Key, g.Count()))]);
}
