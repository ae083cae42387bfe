using Lucene.Net.Documents;
using Lucene.Net.Index;
using Lucene.Net.Search.Similarities;
using Lucene.Net.Store;

namespace Rtgf.Register.Search;

/// <summary>
/// Builds the register's search index in memory with Lucene.Net (ADR 0019): one immutable, single-segment index per
/// publication, whose documents are numbered in (kind, code) order so that Lucene's tie-break by document number is
/// the tie-break by kind then code.
/// </summary>
public static class LuceneCatalogueSearch
{
    /// <summary>The largest offset + limit a search answers (deeper paging narrows the query instead).</summary>
    public const int MaxWindow = 10_000;

    /// <summary>Characters of text searched; the rest is ignored.</summary>
    public const int MaxTextLength = 256;

    /// <summary>Distinct terms searched; the rest are ignored.</summary>
    public const int MaxTerms = 16;

    /// <summary>Throws <see cref="ArgumentException"/> for a document without kind or code, or a (kind, code) seen twice.</summary>
    public static ICatalogueSearch Build(IEnumerable<SearchDocument> documents)
    {
        ArgumentNullException.ThrowIfNull(documents);
        var sorted = documents.ToArray();
        foreach (var document in sorted)
        {
            if (string.IsNullOrWhiteSpace(document.Kind) || string.IsNullOrWhiteSpace(document.Code))
            {
                throw new ArgumentException($"A search document needs a kind and a code (got kind '{document.Kind}', code '{document.Code}').", nameof(documents));
            }
        }

        Array.Sort(sorted, static (a, b) =>
        {
            var byKind = string.CompareOrdinal(a.Kind, b.Kind);
            return byKind != 0 ? byKind : string.CompareOrdinal(a.Code, b.Code);
        });
        for (var i = 1; i < sorted.Length; i++)
        {
            if (string.Equals(sorted[i - 1].Kind, sorted[i].Kind, StringComparison.Ordinal) && string.Equals(sorted[i - 1].Code, sorted[i].Code, StringComparison.Ordinal))
            {
                throw new ArgumentException($"Search document {sorted[i].Kind} {sorted[i].Code} appears twice.", nameof(documents));
            }
        }

        var analyzer = SearchFields.CreateAnalyzer();
        var directory = new RAMDirectory();
        try
        {
            var config = new IndexWriterConfig(SearchFields.Version, analyzer)
            {
                OpenMode = OpenMode.CREATE,
                Similarity = new BM25Similarity(),
                // One flush at the end, and merges only of adjacent segments, so document numbers keep the sorted order.
                RAMBufferSizeMB = 512,
                MaxBufferedDocs = IndexWriterConfig.DISABLE_AUTO_FLUSH,
                MergePolicy = new LogByteSizeMergePolicy(),
            };
            using (var writer = new IndexWriter(directory, config))
            {
                foreach (var document in sorted)
                {
                    writer.AddDocument(ToLucene(document));
                }

                writer.ForceMerge(1);
                writer.Commit();
            }

            var reader = DirectoryReader.Open(directory);
            if (reader.Leaves.Count > 1 || reader.MaxDoc != sorted.Length)
            {
                reader.Dispose();
                throw new InvalidOperationException($"The search index has {reader.Leaves.Count} segments and {reader.MaxDoc} documents; expected one segment of {sorted.Length}.");
            }

            return new LuceneCatalogueIndex(reader, directory, analyzer, sorted);
        }
        catch
        {
            analyzer.Dispose();
            directory.Dispose();
            throw;
        }
    }

    private static Document ToLucene(SearchDocument source)
    {
        var document = new Document
        {
            new StringField(SearchFields.Code, SearchFields.Key(source.Code), Field.Store.NO),
            new TextField(SearchFields.Text, source.Title ?? string.Empty, Field.Store.NO),
        };
        // A name that repeats the title (an RTO's legal name often is its title) would count the same words twice.
        foreach (var name in (source.Names ?? []).Where(n => !string.IsNullOrWhiteSpace(n)).Distinct(StringComparer.OrdinalIgnoreCase))
        {
            if (!string.Equals(name.Trim(), source.Title?.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                document.Add(new TextField(SearchFields.Text, name, Field.Store.NO));
            }
        }

        if (source.Abn is { } abn && SearchFields.AbnDigits(abn) is { Length: > 0 } digits)
        {
            document.Add(new StringField(SearchFields.Abn, digits, Field.Store.NO));
        }

        foreach (var (facet, values) in FacetValuesOf(source))
        {
            foreach (var value in values)
            {
                document.Add(new StringField(SearchFields.Filter(facet), SearchFields.Key(value), Field.Store.NO));
            }
        }

        return document;
    }

    /// <summary>Each facet's values of a document: non-blank, distinct case-insensitively, in <see cref="SearchFacetNames.All"/> order.</summary>
    internal static IEnumerable<(string Facet, IReadOnlyList<string> Values)> FacetValuesOf(SearchDocument source)
    {
        static IReadOnlyList<string> Clean(IEnumerable<string?>? values) =>
            [.. (values ?? []).OfType<string>().Where(v => !string.IsNullOrWhiteSpace(v)).Select(v => v.Trim()).DistinctBy(SearchFields.Key)];

        yield return (SearchFacetNames.Kind, Clean([source.Kind]));
        yield return (SearchFacetNames.Status, Clean([source.Status]));
        yield return (SearchFacetNames.ComponentType, Clean(source.ComponentTypes));
        yield return (SearchFacetNames.State, Clean(source.States));
        yield return (SearchFacetNames.RegistrationManager, Clean([source.RegistrationManager]));
    }
}
