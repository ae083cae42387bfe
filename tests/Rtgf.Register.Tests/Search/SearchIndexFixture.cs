using Rtgf.Register.Search;

namespace Rtgf.Register.Tests.Search;

/// <summary>One index over the core and 1,500 generated documents, shared by a test class (it is immutable).</summary>
public sealed class SearchIndexFixture : IDisposable
{
    public SearchIndexFixture()
    {
        Documents = SearchCorpus.With(1_500);
        Index = LuceneCatalogueSearch.Build(Documents);
    }

    public IReadOnlyList<SearchDocument> Documents { get; }

    public ICatalogueSearch Index { get; }

    public SearchDocument Find(SearchHit hit) => Documents.Single(d => d.Kind == hit.Kind && d.Code == hit.Code);

    /// <summary>Every hit of a query, in one window.</summary>
    public async Task<SearchResults> AllAsync(SearchQuery query) => await Index.SearchAsync(query, 0, LuceneCatalogueSearch.MaxWindow);

    public void Dispose() => Index.Dispose();
}
