using System.Text.Json;
using Microsoft.Extensions.Logging;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Re-queues a publish request that must wait (<see cref="PublicationWaitException"/>): a delayed copy carrying its wait
/// state goes back to <see cref="PipelineQueues.Publish"/> and the current delivery completes, so waiting never spends the
/// delivery count. Delays grow exponentially (<see cref="InitialDelay"/> doubling to <see cref="MaxDelay"/>, or until the
/// tokens become valid); after <see cref="GiveUpAfter"/> of waiting it logs <c>RTGF_PIPELINE_PUBLISH_WAIT_EXPIRED</c> and
/// fails, so the message is dead-lettered like any repeated failure.
/// </summary>
public sealed class PublishWaits(IDelayedQueueSender queue, TimeProvider time, ILogger<PublishWaits> logger)
{
    public static readonly TimeSpan InitialDelay = TimeSpan.FromSeconds(2);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromSeconds(60);

    /// <summary>A national publication takes minutes; hours of waiting means something is stuck and an operator must look.</summary>
    public static readonly TimeSpan GiveUpAfter = TimeSpan.FromHours(6);

    /// <summary>The delay before re-queue number <paramref name="attempt"/> (1-based): 2, 4, 8, … s, capped.</summary>
    public static TimeSpan Backoff(int attempt)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        var seconds = InitialDelay.TotalSeconds * Math.Pow(2, Math.Min(attempt - 1, 30));
        return seconds >= MaxDelay.TotalSeconds ? MaxDelay : TimeSpan.FromSeconds(seconds);
    }

    /// <summary>Sends the delayed copy of <paramref name="request"/>; returns it and its delay.</summary>
    /// <exception cref="InvalidOperationException">The request has waited <see cref="GiveUpAfter"/> already (logged).</exception>
    public async Task<(PublishRequest Copy, TimeSpan Delay)> DeferAsync(PublishRequest request, PublicationWaitException wait, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(wait);
        var now = time.GetUtcNow();
        var since = request.Wait?.Since ?? now;
        if (now - since >= GiveUpAfter)
        {
            PipelineLog.PublishWaitExpired(logger, request.BuildId, since, request.Wait?.Attempts ?? 0, wait.Message);
            throw new InvalidOperationException($"Build {request.BuildId} gave up waiting to publish after {GiveUpAfter.TotalHours:0} h: {wait.Message}", wait);
        }

        var attempts = (request.Wait?.Attempts ?? 0) + 1;
        var delay = Backoff(attempts);
        if (wait.RetryAt is { } at && at - now > delay)
        {
            delay = at - now; // no point looking before the tokens are valid
        }

        // Never past the bound (plus one look), and whole seconds: the queue's unit.
        var remaining = GiveUpAfter - (now - since);
        delay = TimeSpan.FromSeconds(Math.Ceiling(Math.Min(delay.TotalSeconds, Math.Max(remaining.TotalSeconds, InitialDelay.TotalSeconds))));
        var copy = request with { Wait = new PublishWait(since, attempts) };
        await queue.SendAsync(PipelineQueues.Publish, JsonSerializer.Serialize(copy, PipelineMessageJson.Default.PublishRequest), delay, cancellationToken).ConfigureAwait(false);
        PipelineLog.PublishWaiting(logger, request.BuildId, wait.Reason, delay.TotalSeconds, attempts, wait.Message);
        return (copy, delay);
    }
}
