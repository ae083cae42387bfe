namespace Rtgf.Ingestion.Abs;

/// <summary>One ABS Data API query the <c>abs</c> source fetches: a dataflow (<c>ABS,LF,1.0.0</c>) and a data key (<c>M13.3.1599.20.1+2.M</c>).</summary>
public sealed record AbsSeriesSelection(string Dataflow, string Key)
{
    public override string ToString() => Dataflow + "/" + Key;
}
