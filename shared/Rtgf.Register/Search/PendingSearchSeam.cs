namespace Rtgf.Register.Search;

// PLACEHOLDER for the search seam (issue 15's brief, owned by the search part): exactly the agreed contract, so the register
// compiles before the Lucene index is merged. Delete this file when shared/Rtgf.Register/Search/ (the real engine) merges.

public sealed record SearchDocument(string Kind, string Code, string Title, IReadOnlyList<string> Names, string? Abn, string? Status, IReadOnlyList<string> ComponentTypes, IReadOnlyList<string> States, string? RegistrationManager);

public sealed record SearchQuery(string Text, string? Kind = null, string? Status = null, string? ComponentType = null, string? State = null, string? RegistrationManager = null);

public sealed record SearchHit(string Kind, string Code, float Score);

public sealed record FacetValue(string Value, int Count);

public sealed record SearchFacet(string Name, IReadOnlyList<FacetValue> Values);

public sealed record SearchResults(int Total, IReadOnlyList<SearchHit> Hits, IReadOnlyList<SearchFacet> Facets);

public interface ICatalogueSearch : IDisposable
{
    ValueTask<SearchResults> SearchAsync(SearchQuery query, int offset, int limit, CancellationToken cancellationToken = default);
}

public static class LuceneCatalogueSearch
{
    /// <summary>Placeholder: the engine is not merged yet; searching answers "not available" (a 503 over HTTP).</summary>
    public static ICatalogueSearch Build(IEnumerable<SearchDocument> documents) => new Unavailable();

    private sealed class Unavailable : ICatalogueSearch
    {
        public ValueTask<SearchResults> SearchAsync(SearchQuery query, int offset, int limit, CancellationToken cancellationToken = default) =>
            throw new NotSupportedException("The search engine is not part of this build yet.");

        public void Dispose()
        {
        }
    }
}
