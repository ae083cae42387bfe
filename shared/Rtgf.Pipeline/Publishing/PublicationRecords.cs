using Rtgf.Pipeline.Registry;

namespace Rtgf.Pipeline.Publishing;

/// <summary>Reads the completed publication of one build (the row the publisher writes last, keyed by the build's hex).</summary>
public static class PublicationRecords
{
    /// <summary>The publication of <paramref name="buildId"/>, or null when that build has not been published (yet).</summary>
    public static async Task<Publication?> GetAsync(IRecordStore records, string buildId, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(records);
        return (await records.GetAsync(RecordTables.Publications, Publisher.PublicationPartition, BuildIds.Hex(buildId), PublishingJson.Default.Publication, cancellationToken)
            .ConfigureAwait(false))?.Value;
    }
}
