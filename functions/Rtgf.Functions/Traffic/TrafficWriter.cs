using Rtgf.Azure.Traffic;
using Rtgf.Pipeline.Operations.Traffic;

namespace Rtgf.Functions.Traffic;

/// <summary>
/// Drains <see cref="TrafficRecorder"/>'s channel off the request path: each round takes what is there (up to
/// <see cref="TrafficOptions.MaxBatch"/>) and writes it in transactions of up to 100 rows, so a busy instance writes big
/// batches and a quiet one writes soon. A failed write is not retried (the SDK already retried it): its records are
/// counted as <c>failed</c> drops. After each round, the drops not yet logged are written as one <see cref="TrafficDrop"/>
/// row. On shutdown the channel is written out before the host stops (unless writes are failing: then it is counted).
/// </summary>
internal sealed partial class TrafficWriter(TrafficRecorder recorder, TableTrafficLog log, TimeProvider time, ILogger<TrafficWriter> logger) : BackgroundService
{
    private long _failedPending;
    private bool _failing;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (!recorder.Enabled)
        {
            return;
        }

        var reader = recorder.Reader;
        try
        {
            while (await reader.WaitToReadAsync(stoppingToken).ConfigureAwait(false))
            {
                await WriteRoundAsync().ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutdown: write out what is left below.
        }

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
                await log.WriteAsync(batch, CancellationToken.None).ConfigureAwait(false);
                if (_failing)
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

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The traffic log is written again")]
    private static partial void LogRecovered(ILogger logger);
}
