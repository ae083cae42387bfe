using System.Globalization;
using System.Text;
using Lucene.Net.Analysis;
using Lucene.Net.Analysis.Core;
using Lucene.Net.Analysis.TokenAttributes;
using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Rtgf.Register.Search;

/// <summary>
/// Turns user text into a Lucene query built term by term from the analyzer's output; user text never reaches a query
/// parser, so its syntax (<c>*</c>, <c>~</c>, quotes, <c>OR</c>, backslashes) is only ever words or nothing.
/// </summary>
internal static class SearchText
{
    /// <summary>Above any sum of text scores (at most <see cref="LuceneCatalogueSearch.MaxTerms"/> terms × three fields), so an identity match always ranks first.</summary>
    private const float IdentityScore = 100_000f;

    /// <summary>Longer "words" are not words; a fuzzy automaton over them costs time and finds nothing.</summary>
    private const int MaxFuzzyLength = 40;

    /// <summary>
    /// The text cut to <see cref="LuceneCatalogueSearch.MaxTextLength"/> characters (never inside a surrogate pair),
    /// with control characters and unpaired surrogates turned into spaces and invisible format characters (bidi marks,
    /// zero-width joiners, BOM) removed, then trimmed.
    /// </summary>
    public static string Clean(string? text)
    {
        if (string.IsNullOrEmpty(text))
        {
            return string.Empty;
        }

        var builder = new StringBuilder(Math.Min(text.Length, LuceneCatalogueSearch.MaxTextLength));
        for (var i = 0; i < text.Length && i < LuceneCatalogueSearch.MaxTextLength; i++)
        {
            var c = text[i];
            if (char.IsHighSurrogate(c))
            {
                if (i + 1 < text.Length && i + 1 < LuceneCatalogueSearch.MaxTextLength && char.IsLowSurrogate(text[i + 1]))
                {
                    builder.Append(c).Append(text[i + 1]);
                    i++;
                }
                else
                {
                    builder.Append(' ');
                }
            }
            else if (char.IsLowSurrogate(c) || char.IsControl(c))
            {
                builder.Append(' ');
            }
            else if (CharUnicodeInfo.GetUnicodeCategory(c) != UnicodeCategory.Format)
            {
                builder.Append(c);
            }
        }

        return builder.ToString().Trim();
    }

    /// <summary>The analyzed terms of clean text, distinct, in order, at most <see cref="LuceneCatalogueSearch.MaxTerms"/>.</summary>
    public static IReadOnlyList<string> Terms(Analyzer analyzer, string text)
    {
        var terms = new List<string>();
        using var stream = analyzer.GetTokenStream(SearchFields.Text, text);
        var term = stream.AddAttribute<ICharTermAttribute>();
        stream.Reset();
        while (terms.Count < LuceneCatalogueSearch.MaxTerms && stream.IncrementToken())
        {
            var value = term.ToString();
            if (!terms.Contains(value, StringComparer.Ordinal))
            {
                terms.Add(value);
            }
        }

        stream.End();
        return terms;
    }

    /// <summary>
    /// An exact code match and an exact ABN match (the whole text, spaces allowed) at a constant score above anything
    /// else, or else every significant term (stop words only add to the score) matching in the title or a name, the code
    /// or the ABN: exactly (weighted 2), within a small edit distance if the term is not in the index as typed (1 for
    /// 4–7 characters, 2 for longer; transposed letters count as one edit), or, for the last term, as a prefix (as the
    /// user is still typing). Null only for empty text; text without terms ("*") is only an identity lookup, which
    /// finds nothing.
    /// </summary>
    public static Query? Build(string text, IReadOnlyList<string> terms, IndexReader reader)
    {
        var query = new BooleanQuery(disableCoord: true);
        if (text.Length > 0)
        {
            query.Add(Identity(SearchFields.Code, SearchFields.Key(text)), Occur.SHOULD);
        }

        var digits = SearchFields.AbnDigits(text);
        if (digits.Length == 11 && IsAbnText(text))
        {
            query.Add(Identity(SearchFields.Abn, digits), Occur.SHOULD);
        }

        if (terms.Count > 0)
        {
            var allStopWords = terms.All(IsStopWord);
            var words = new BooleanQuery(disableCoord: true);
            for (var i = 0; i < terms.Count; i++)
            {
                var required = allStopWords || !IsStopWord(terms[i]);
                words.Add(Term(terms[i], isLast: i == terms.Count - 1, reader), required ? Occur.MUST : Occur.SHOULD);
            }

            query.Add(words, Occur.SHOULD);
        }

        return query.Clauses.Count == 0 ? null : query;
    }

    private static ConstantScoreQuery Identity(string field, string value) =>
        new(new TermQuery(new Term(field, value))) { Boost = IdentityScore };

    /// <summary>Digits, spaces and the word "ABN" only: "ABN 51 824 753 556" is an ABN, "51 Smith St 824753556" is not.</summary>
    private static bool IsAbnText(string text)
    {
        var rest = text.Replace("abn", string.Empty, StringComparison.OrdinalIgnoreCase);
        return rest.All(c => char.IsAsciiDigit(c) || char.IsWhiteSpace(c) || c is ':' or '-' or '.');
    }

    private static bool IsStopWord(string term) => StopAnalyzer.ENGLISH_STOP_WORDS_SET.Contains(term);

    /// <summary>
    /// Words are fuzzy in the title and names, terms with digits in the code (a code's typo is a code's typo, and
    /// "50120" one edit from "50121" in a title means nothing). The first character must match: typos there are rare,
    /// and it spares the fuzzy automaton most of the term dictionary. A term the field already holds is taken as
    /// spelled right and not expanded: most words typed are real words, and their fuzzy expansion was most of a
    /// query's cost (docs/benchmarks.md).
    /// </summary>
    private static BooleanQuery Term(string term, bool isLast, IndexReader reader)
    {
        var clause = new BooleanQuery(disableCoord: true);
        var maxEdits = term.Length switch
        {
            < 4 => 0,
            <= 7 => 1,
            <= MaxFuzzyLength => 2,
            _ => 0,
        };
        var hasDigit = term.Any(char.IsAsciiDigit);
        foreach (var field in (ReadOnlySpan<string>)[SearchFields.Text, SearchFields.Code])
        {
            clause.Add(new TermQuery(new Term(field, term)) { Boost = 2f }, Occur.SHOULD);
            if (maxEdits > 0 && hasDigit == (field == SearchFields.Code) && reader.DocFreq(new Term(field, term)) == 0)
            {
                clause.Add(new FuzzyQuery(new Term(field, term), maxEdits, prefixLength: 1, maxExpansions: 20, transpositions: true), Occur.SHOULD);
            }

            if (isLast && term.Length >= 3 && term.Length <= MaxFuzzyLength)
            {
                // Matching documents into a bit set: the same constant score and documents as the default rewrite, without
                // first collecting every matching term into a hash (a 32 KiB block per prefix and field, every search).
                clause.Add(new PrefixQuery(new Term(field, term)) { MultiTermRewriteMethod = MultiTermQuery.CONSTANT_SCORE_FILTER_REWRITE }, Occur.SHOULD);
            }
        }

        clause.Add(new TermQuery(new Term(SearchFields.Abn, term)), Occur.SHOULD);
        return clause;
    }
}
