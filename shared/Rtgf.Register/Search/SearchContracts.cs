namespace Rtgf.Register.Search;

/// <summary>
/// One searchable record of the register. <see cref="Kind"/> is "component" or "rto"; (Kind, Code) is its key and
/// must be unique within an index. <see cref="Names"/> are an RTO's legal and trading names (empty for components);
/// <see cref="Abn"/> may carry spaces (only its digits are indexed). The filter fields are matched exactly,
/// case-insensitively, and counted in the facets.
/// </summary>
public sealed record SearchDocument(
    string Kind,
    string Code,
    string Title,
    IReadOnlyList<string> Names,
    string? Abn,
    string? Status,
    IReadOnlyList<string> ComponentTypes,
    IReadOnlyList<string> States,
    string? RegistrationManager);

/// <summary>
/// Free text (null, empty, or only whitespace and invisible characters: browse everything the filters let through,
/// ordered by kind then code; text with nothing searchable in it, such as "*", finds nothing) and
/// optional filters (null or whitespace: not filtered; otherwise exact, case-insensitive, all of them at once).
/// Text beyond <see cref="LuceneCatalogueSearch.MaxTextLength"/> characters is ignored, and only its first
/// <see cref="LuceneCatalogueSearch.MaxTerms"/> distinct terms are searched.
/// </summary>
public sealed record SearchQuery(string Text, string? Kind = null, string? Status = null, string? ComponentType = null, string? State = null, string? RegistrationManager = null);

public sealed record SearchHit(string Kind, string Code, float Score);

public sealed record FacetValue(string Value, int Count);

/// <summary>Counts per value over every matching document, highest count first, then by value (ordinal).</summary>
public sealed record SearchFacet(string Name, IReadOnlyList<FacetValue> Values);

/// <summary><see cref="Total"/> matching documents; one page of <see cref="Hits"/>; facets over all of them.</summary>
public sealed record SearchResults(int Total, IReadOnlyList<SearchHit> Hits, IReadOnlyList<SearchFacet> Facets);

/// <summary>
/// The register's search: one immutable index per publication, searched concurrently; callers swap whole instances
/// when a publication lands. Lucene.Net in process today (<see cref="LuceneCatalogueSearch"/>); a hosted engine
/// (Azure AI Search) can sit behind the same seam (ADR 0019).
/// </summary>
public interface ICatalogueSearch : IDisposable
{
    /// <summary>
    /// Hits ranked by an exact code or ABN match first, then relevance (BM25), ties by kind then code (ordinal), so
    /// offset paging over one index neither repeats nor skips. Throws <see cref="ArgumentOutOfRangeException"/> when
    /// <paramref name="offset"/> or <paramref name="limit"/> is negative or their sum exceeds
    /// <see cref="LuceneCatalogueSearch.MaxWindow"/>; any text is otherwise answered, possibly with no hits.
    /// </summary>
    ValueTask<SearchResults> SearchAsync(SearchQuery query, int offset, int limit, CancellationToken cancellationToken = default);
}
