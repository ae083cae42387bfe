using Lucene.Net.Analysis;
using Lucene.Net.Index;
using Lucene.Net.Search;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;
using Lucene.Net.Util;

namespace Rtgf.Register.Search;

/// <summary>
/// One built index and its one searcher, shared by concurrent searches. Each search holds a reference on the reader,
/// so disposing the index while searches run (a publication swapped it out) lets them finish; the memory goes with the
/// last of them.
/// </summary>
internal sealed class LuceneCatalogueIndex : ICatalogueSearch
{
    private readonly DirectoryReader _reader;
    private readonly IndexSearcher _searcher;
    private readonly Analyzer _analyzer;
    private readonly string[] _kinds;
    private readonly string[] _codes;
    private readonly int[][][] _ordinals;
    private readonly string[][] _facetValues;
    private readonly Dictionary<string, int>[] _ordinalOf;
    private readonly FixedBitSet[][] _documentsWith;
    private int _disposed;

    /// <summary>Takes ownership of the reader, directory and analyzer; <paramref name="documents"/> are in document-number order (kind, then code).</summary>
    public LuceneCatalogueIndex(DirectoryReader reader, RAMDirectory directory, Analyzer analyzer, IReadOnlyList<SearchDocument> documents)
    {
        _reader = reader;
        _analyzer = analyzer;
        _searcher = new IndexSearcher(reader) { Similarity = new BM25Similarity() };
        _kinds = [.. documents.Select(d => d.Kind)];
        _codes = [.. documents.Select(d => d.Code)];

        var facetCount = SearchFacetNames.All.Count;
        _ordinals = [.. Enumerable.Range(0, facetCount).Select(_ => new int[documents.Count][])];
        var valueLists = Enumerable.Range(0, facetCount).Select(_ => new List<string>()).ToArray();
        var lookups = Enumerable.Range(0, facetCount).Select(_ => new Dictionary<string, int>(StringComparer.Ordinal)).ToArray();
        for (var doc = 0; doc < documents.Count; doc++)
        {
            var facet = 0;
            foreach (var (_, values) in LuceneCatalogueSearch.FacetValuesOf(documents[doc]))
            {
                var ordinals = new int[values.Count];
                for (var v = 0; v < values.Count; v++)
                {
                    var key = SearchFields.Key(values[v]);
                    if (!lookups[facet].TryGetValue(key, out var ordinal))
                    {
                        // The first spelling in (kind, code) order is the one shown.
                        ordinal = valueLists[facet].Count;
                        lookups[facet].Add(key, ordinal);
                        valueLists[facet].Add(values[v]);
                    }

                    ordinals[v] = ordinal;
                }

                _ordinals[facet][doc] = ordinals;
                facet++;
            }
        }

        _facetValues = [.. valueLists.Select(l => l.ToArray())];
        _ordinalOf = lookups;

        // Each filter value's documents, once: a filtered search intersects these instead of running term queries for its
        // filter on every search (the filter fields index exactly these keys).
        _documentsWith = [.. valueLists.Select(l => l.Select(_ => new FixedBitSet(documents.Count)).ToArray())];
        for (var facet = 0; facet < facetCount; facet++)
        {
            for (var doc = 0; doc < documents.Count; doc++)
            {
                foreach (var ordinal in _ordinals[facet][doc])
                {
                    _documentsWith[facet][ordinal].Set(doc);
                }
            }
        }
        reader.AddReaderDisposedListener(new ReleaseOnClose(directory, analyzer));
    }

    public ValueTask<SearchResults> SearchAsync(SearchQuery query, int offset, int limit, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentOutOfRangeException.ThrowIfNegative(offset);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        if ((long)offset + limit > LuceneCatalogueSearch.MaxWindow)
        {
            throw new ArgumentOutOfRangeException(nameof(limit), limit, $"offset + limit must be at most {LuceneCatalogueSearch.MaxWindow}.");
        }

        cancellationToken.ThrowIfCancellationRequested();
        ObjectDisposedException.ThrowIf(!_reader.TryIncRef(), this);
        try
        {
            return ValueTask.FromResult(Search(query, offset, limit));
        }
        finally
        {
            _reader.DecRef();
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 0)
        {
            _reader.DecRef();
        }
    }

    private SearchResults Search(SearchQuery query, int offset, int limit)
    {
        var text = SearchText.Clean(query.Text);
        var lucene = text.Length == 0 ? new MatchAllDocsQuery() : SearchText.Build(text, SearchText.Terms(_analyzer, text), _reader);
        if (lucene is null)
        {
            return new SearchResults(0, [], [.. SearchFacetNames.All.Select(name => new SearchFacet(name, []))]);
        }

        var filter = Filter(query, out var matchesNone);
        if (matchesNone)
        {
            return new SearchResults(0, [], [.. SearchFacetNames.All.Select(name => new SearchFacet(name, []))]);
        }

        var facets = new FacetCollector(_ordinals, [.. _facetValues.Select(v => v.Length)]);
        var window = offset + limit;
        // In order: Lucene then scores a top-level disjunction with BooleanScorer2 instead of BooleanScorer, whose table of
        // 2,048 buckets was allocated anew for every search. Same hits, scores and tie-break (lower document number first).
        var top = window > 0 ? TopScoreDocCollector.Create(window, docsScoredInOrder: true) : null;
        _searcher.Search(lucene, filter, top is null ? facets : MultiCollector.Wrap(top, facets));

        var hits = top is null
            ? []
            : top.GetTopDocs(offset, limit).ScoreDocs.Select(d => new SearchHit(_kinds[d.Doc], _codes[d.Doc], d.Score)).ToArray();
        return new SearchResults(facets.Total, hits, [.. SearchFacetNames.All.Select((name, i) => Facet(name, _facetValues[i], facets.Counts[i]))]);
    }

    /// <summary>
    /// Every given filter must hold: the intersection of their values' documents; null when none is given, and
    /// <paramref name="matchesNone"/> when a value is on no document.
    /// </summary>
    private DocumentsFilter? Filter(SearchQuery query, out bool matchesNone)
    {
        matchesNone = false;
        FixedBitSet? documents = null;
        var facet = 0;
        foreach (var value in (ReadOnlySpan<string?>)[query.Kind, query.Status, query.ComponentType, query.State, query.RegistrationManager])
        {
            if (!string.IsNullOrWhiteSpace(value))
            {
                if (!_ordinalOf[facet].TryGetValue(SearchFields.Key(value), out var ordinal))
                {
                    matchesNone = true;
                    return null;
                }

                if (documents is null)
                {
                    documents = _documentsWith[facet][ordinal].Clone();
                }
                else
                {
                    documents.And(_documentsWith[facet][ordinal]);
                }
            }

            facet++;
        }

        return documents is null ? null : new DocumentsFilter(documents);
    }

    private static SearchFacet Facet(string name, string[] values, int[] counts)
    {
        var present = Enumerable.Range(0, values.Length).Where(i => counts[i] > 0).Select(i => new FacetValue(values[i], counts[i])).ToList();
        present.Sort(static (a, b) => a.Count != b.Count ? b.Count.CompareTo(a.Count) : string.CompareOrdinal(a.Value, b.Value));
        return new SearchFacet(name, present);
    }

    /// <summary>
    /// A fixed set of documents as a filter. Its set offers an iterator and no random access, as a query-built filter's
    /// does, so Lucene intersects it with the query the same way (leap-frogging) and hits and scores are the same.
    /// </summary>
    private sealed class DocumentsFilter(FixedBitSet documents) : Filter
    {
        public override DocIdSet GetDocIdSet(AtomicReaderContext context, IBits acceptDocs) =>
            BitsFilteredDocIdSet.Wrap(new IteratorOnly(documents), acceptDocs);

        private sealed class IteratorOnly(FixedBitSet documents) : DocIdSet
        {
            public override DocIdSetIterator GetIterator() => documents.GetIterator();
        }
    }

    /// <summary>Frees the in-memory files and the analyzer's per-thread state once the last reference is gone.</summary>
    private sealed class ReleaseOnClose(RAMDirectory directory, Analyzer analyzer) : IReaderDisposedListener
    {
        public void OnDispose(IndexReader reader)
        {
            analyzer.Dispose();
            directory.Dispose();
        }
    }
}
