using Rtgf.Register.Search;

namespace Rtgf.Register;

/// <summary>Builds a generation's search index from its documents (the app passes <see cref="LuceneCatalogueSearch.Build"/>).</summary>
public delegate ICatalogueSearch CatalogueSearchFactory(IEnumerable<SearchDocument> documents);
