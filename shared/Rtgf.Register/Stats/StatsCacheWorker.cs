using System.Text.Json;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Stats;

namespace Rtgf.Register.Stats;

/// <summary>What one <c>stats-cache</c> delivery wrote: the document (false: it was stored before) and the history row (false: it was there).</summary>
public sealed record StatsCacheOutcome(string BuildId, bool DocumentCreated, bool HistoryCreated);

/// <summary>
/// The <c>stats-cache</c> worker: computes the statistics of a publication's build once and stores them, the document
/// create-only in <see cref="IStatsDocumentStore"/>, then its history row create-only in <see cref="StatsTables.History"/>.
/// A duplicate delivery finds both and writes nothing; concurrent ones store the first document and one row (both
/// derived from the stored document, so they agree); a crash between the two writes is repaired by the next delivery,
/// which finds the document and adds the row.
/// </summary>
public sealed class StatsCacheWorker(IStatsDocumentStore documents, IRecordStore records, PublicationStatsCalculator calculator)
{
    /// <exception cref="PublicationStatsException">The build is unknown or unpublished (the message fails, and is poisoned after its retries).</exception>
    public async Task<StatsCacheOutcome> RunAsync(StatsCacheRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var buildId = request.BuildId;
        if (!BuildIds.IsValid(buildId))
        {
            throw new PublicationStatsException($"'{buildId}' is not a build id (sha256: and 64 lowercase hex digits).");
        }

        var created = false;
        PublicationStats stats;
        if (await documents.GetAsync(buildId, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            stats = StatsJson.Parse(stored.Span);
        }
        else
        {
            stats = await calculator.ComputeAsync(buildId, stored: true, cancellationToken).ConfigureAwait(false);
            created = await documents.TryCreateAsync(buildId, StatsJson.Serialize(stats), cancellationToken).ConfigureAwait(false);
            if (!created)
            {
                // Another delivery stored it first: the history row describes the stored document.
                stats = StatsJson.Parse((await documents.GetAsync(buildId, cancellationToken).ConfigureAwait(false)
                    ?? throw new InvalidOperationException($"The statistics of {buildId} were stored by another delivery but cannot be read.")).Span);
            }
        }

        var entry = StatsHistoryEntry.Of(stats);
        var added = await records.TryCreateAsync(
            StatsTables.History, StatsTables.HistoryPartition, StatsTables.HistoryRow(stats.PublishedAt, BuildIds.Hex(buildId)),
            JsonSerializer.Serialize(entry, StatsJson.Default.StatsHistoryEntry), cancellationToken).ConfigureAwait(false);
        return new StatsCacheOutcome(buildId, created, added);
    }
}
