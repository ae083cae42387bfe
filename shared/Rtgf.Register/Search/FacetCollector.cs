using Lucene.Net.Index;
using Lucene.Net.Search;

namespace Rtgf.Register.Search;

/// <summary>
/// Counts every matching document into per-facet counters, from value ordinals the index computed at build time
/// (the index is immutable, so document numbers are fixed). Order does not matter to it.
/// </summary>
internal sealed class FacetCollector(IReadOnlyList<int[][]> ordinalsByFacet, IReadOnlyList<int> valueCounts) : ICollector
{
    private readonly int[][] _counts = [.. valueCounts.Select(n => new int[n])];
    private int _docBase;

    public int Total { get; private set; }

    public bool AcceptsDocsOutOfOrder => true;

    public IReadOnlyList<int[]> Counts => _counts;

    public void SetScorer(Scorer scorer)
    {
    }

    public void SetNextReader(AtomicReaderContext context) => _docBase = context.DocBase;

    public void Collect(int doc)
    {
        var global = _docBase + doc;
        Total++;
        for (var facet = 0; facet < _counts.Length; facet++)
        {
            foreach (var ordinal in ordinalsByFacet[facet][global])
            {
                _counts[facet][ordinal]++;
            }
        }
    }
}
