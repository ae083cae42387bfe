namespace Rtgf.Pipeline.Ingest;

/// <summary>A whole-list upstream (CRICOS, TEQSA, DFAT): fetches and parses everything, or throws.</summary>
public interface IFeedSource
{
    /// <summary>The source name (<see cref="IngestSources"/>).</summary>
    string Source { get; }

    /// <summary>The Layer-1 tables this source writes.</summary>
    IReadOnlyList<string> Tables { get; }

    Task<FeedFetch> FetchAsync(CancellationToken cancellationToken = default);
}
