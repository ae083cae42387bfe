using Rtgf.Azure.Traffic;
using Rtgf.Pipeline.Operations.Traffic;

namespace Rtgf.Functions.Traffic;

/// <summary>
/// Drains <see cref="TrafficRecorder"/>'s channel off the request path: each round takes what is there (up to
/// <see cref="TrafficOptions.MaxBatch"/>) and writes it in transactions of up to 100 rows, so a busy instance writes big
/// batches and a quiet one writes soon. A failed write is not retried (the SDK already retried it): its records are
/// counted as <c>failed</c> drops. After each round, the drops not yet logged are written as one <see cref="TrafficDrop"/>
/// row. The final drain runs in <see cref="StoppedAsync"/>, after every hosted service (the worker's invocations among
/// them) has stopped; the channel is closed first, so a record that still arrives is refused and counted as a drop,
/// never left in a channel nobody reads. A drain while writes are failing counts the rest instead of waiting on storage.
/// </summary>
internal sealed partial class TrafficWriter(TrafficRecorder recorder, TableTrafficLog log, TimeProvider time, ILogger<TrafficWriter> logger) : BackgroundService, IHostedLifecycleService
{
    private long _failedPending;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!recorder.Enabled)
        {
            return;
        }

        try
        {
            while (await recorder.Reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await WriteRoundAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: StoppedAsync writes out what is left once nothing else runs.
        }
    }

    Task IHostedLifecycleService.StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    Task IHostedLifecycleService.StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    /// <summary>Closes the channel and writes out what is in it: runs after every hosted service's StopAsync.</summary>
    public async Task StoppedAsync(CancellationToken cancellationToken)
    {
        recorder.Complete();
        if (ExecuteTask is { } running)
        {
            try
            {
                await running.ConfigureAwait(false); // one reader at a time
            }
            catch (OperationCanceledException)
            {
                // The loop ended by shutdown.
            }
        }

        if (!recorder.Enabled)
        {
            return;
        }

        var reader = recorder.Reader;
        while (reader.TryPeek(out _))
        {
            if (_failing)
            {
                // Storage is failing: shutdown does not wait for more failed writes; the rest is counted (and logged below).
                var rest = 0;
                while (reader.TryRead(out _))
                {
                    rest++;
                }

                _failedPending += rest;
                TrafficRecorder.CountFailed(rest);
                LogShutdownDropped(logger, rest);
                break;
            }

            await WriteRoundAsync().ConfigureAwait(false);
        }

        await WriteDropsAsync().ConfigureAwait(false);
    }

    /// <summary>Writes one round; never throws (the writer must outlive storage trouble).</summary>
    private async Task WriteRoundAsync()
    {
        var batch = new List<TrafficRecord>(Math.Min(recorder.Options.MaxBatch, 256));
        while (batch.Count < recorder.Options.MaxBatch && recorder.Reader.TryRead(out var record))
        {
            batch.Add(record);
        }

        if (batch.Count > 0)
        {
            try
            {
                // Not cancelled by shutdown: the host's shutdown timeout bounds the final round.
                var failed = await log.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                if (failed > 0)
                {
                    // Some transactions failed, the others were written: only the failed rows are counted.
                    _failedPending += failed;
                    TrafficRecorder.CountFailed(failed);
                    var all = failed == batch.Count; // every transaction failed: storage trouble, logged once until it ends
                    if (!all || !_failing)
                    {
                        LogPartlyFailed(logger, failed, batch.Count);
                    }

                    _failing = all;
                }
                else if (_failing)
                {
                    _failing = false;
                    LogRecovered(logger);
                }
            }
            catch (Exception e)
            {
                _failedPending += batch.Count;
                TrafficRecorder.CountFailed(batch.Count);
                if (!_failing)
                {
                    _failing = true;
                    LogFailing(logger, e, batch.Count);
                }

                return;
            }
        }

        await WriteDropsAsync().ConfigureAwait(false);
    }

    private async Task WriteDropsAsync()
    {
        var full = recorder.TakeFullDrops();
        var failed = _failedPending;
        if (full == 0 && failed == 0)
        {
            return;
        }

        try
        {
            await log.WriteDropAsync(new TrafficDrop(time.GetUtcNow(), full, failed), CancellationToken.None).ConfigureAwait(false);
            _failedPending -= failed;
        }
        catch (Exception e)
        {
            recorder.ReturnFullDrops(full); // written with the next round that reaches storage
            if (!_failing)
            {
                _failing = true;
                LogFailing(logger, e, 0);
            }
        }
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The traffic log could not be written; {Count} record(s) dropped and counted (further failures are counted, not logged, until a write succeeds)")]
    private static partial void LogFailing(ILogger logger, Exception exception, int count);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Shutting down while the traffic log cannot be written: {Count} record(s) dropped")]
    private static partial void LogShutdownDropped(ILogger logger, int count);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "{Count} of {BatchCount} traffic record(s) could not be written; they are counted as dropped")]
    private static partial void LogPartlyFailed(ILogger logger, int count, int batchCount);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The traffic log is written again")]
    private static partial void LogRecovered(ILogger logger);
}
