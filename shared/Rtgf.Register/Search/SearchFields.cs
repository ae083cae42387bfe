using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.Miscellaneous;
using Lucene.Net.Analysis.Standard;
using Lucene.Net.Util;

namespace Rtgf.Register.Search;

/// <summary>The index's fields and the one analyzer used to index and to read query text.</summary>
internal static class SearchFields
{
    public const LuceneVersion Version = LuceneVersion.LUCENE_48;

    /// <summary>
    /// Analyzed: the title and the names, as one multi-valued field. One field, not two, halves the fuzzy and prefix
    /// work a query does (measured: the fuzzy automata are most of a query's cost), and BM25's length norm over title
    /// and names together keeps an RTO with several names from outscoring a component for the same word.
    /// </summary>
    public const string Text = "text";

    /// <summary>Not analyzed: the code lower-cased (invariant), the ABN's digits.</summary>
    public const string Code = "code";
    public const string Abn = "abn";

    /// <summary>Filter fields, lower-cased (invariant), one per facet (see <see cref="SearchFacetNames"/>).</summary>
    public static string Filter(string facet) => "f." + facet;

    /// <summary>
    /// Words split by Unicode rules (UAX #29), lower-cased, accents folded to ASCII ("Café" finds "cafe"). No
    /// stemming: titles are names of things, and fuzzy terms already cover plurals one letter apart.
    /// </summary>
    public static Analyzer CreateAnalyzer() => Analyzer.NewAnonymous((_, reader) =>
    {
        var source = new StandardTokenizer(Version, reader);
        TokenStream stream = new LowerCaseFilter(Version, source);
        stream = new ASCIIFoldingFilter(stream);
        return new TokenStreamComponents(source, stream);
    });

    /// <summary>The form filter values and codes are indexed and matched in.</summary>
    public static string Key(string value) => value.Trim().ToLowerInvariant();

    /// <summary>The ABN as indexed: its digits only, so "51 824 753 556" and "51824753556" are one ABN.</summary>
    public static string AbnDigits(string value) => string.Concat(value.Where(char.IsAsciiDigit));
}
