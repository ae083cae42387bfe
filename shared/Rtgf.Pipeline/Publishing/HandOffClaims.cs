using Microsoft.Extensions.Logging;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Collapses duplicate work between stages: a build is handed to the next queue (compile → <c>rtgf-qa</c>, QA →
/// <c>rtgf-publish</c>) by one message only. The first delivery creates the row (queue, build) naming its message id,
/// create-only; a redelivery of that same message (it may have crashed between claiming and its output being sent)
/// sends again, while a different message for the same build (another source's sync finishing at the same time) sends
/// nothing. Rows are never deleted: a build is handed on once in its life (publishing it again is a no-op anyway).
/// </summary>
public sealed class HandOffClaims(IRecordStore records, TimeProvider time, ILogger<HandOffClaims> logger)
{
    /// <summary>True when the delivery of <paramref name="messageId"/> is the one that hands <paramref name="buildId"/> to <paramref name="queue"/>.</summary>
    public async Task<bool> ClaimAsync(string queue, string buildId, string messageId, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(queue);
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        var row = BuildIds.Hex(buildId);
        if (await records.TryCreateAsync(RecordTables.HandOffs, queue, row, new HandOffRow(messageId, time.GetUtcNow()), PublishingJson.Default.HandOffRow, cancellationToken).ConfigureAwait(false))
        {
            return true;
        }

        var claimed = await records.GetAsync(RecordTables.HandOffs, queue, row, PublishingJson.Default.HandOffRow, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"The hand-off of {buildId} to {queue} exists but cannot be read.");
        if (string.Equals(claimed.Value.MessageId, messageId, StringComparison.Ordinal))
        {
            return true;
        }

        PipelineLog.DuplicateHandOff(logger, buildId, queue, claimed.Value.MessageId, messageId);
        return false;
    }
}
