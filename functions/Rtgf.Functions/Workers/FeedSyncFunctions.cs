using Microsoft.Azure.Functions.Worker;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Functions.Workers;

/// <summary>
/// <c>cricos-sync</c>, <c>teqsa-sync</c>, <c>sanctions-sync</c>, <c>osl-sync</c>, <c>ivi-sync</c>, <c>abs-sync</c>, <c>magda-monitor</c>, <c>calendar-sync</c>: each runs its source's <see cref="FeedSyncWorker"/>. The
/// worker is resolved when its timer fires, so one source's missing upstream settings never break another's sync.
/// </summary>
public sealed class FeedSyncFunctions(IServiceProvider services, ILogger<FeedSyncFunctions> logger)
{
    [Function("cricos-sync")]
    [QueueOutput(PipelineQueues.Compile, Connection = QueueMessages.Connection)]
    public Task<string?> SyncCricos([TimerTrigger("%" + SyncSchedules.CricosSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(IngestSources.Cricos, cancellationToken);

    [Function("teqsa-sync")]
    [QueueOutput(PipelineQueues.Compile, Connection = QueueMessages.Connection)]
    public Task<string?> SyncTeqsa([TimerTrigger("%" + SyncSchedules.TeqsaSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(IngestSources.Teqsa, cancellationToken);

    [Function("sanctions-sync")]
    [QueueOutput(PipelineQueues.Compile, Connection = QueueMessages.Connection)]
    public Task<string?> SyncSanctions([TimerTrigger("%" + SyncSchedules.SanctionsSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(IngestSources.Sanctions, cancellationToken);

    [Function("ivi-sync")]
    [QueueOutput(PipelineQueues.Compile, Connection = QueueMessages.Connection)]
    public Task<string?> SyncIvi([TimerTrigger("%" + SyncSchedules.IviSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(IngestSources.Ivi, cancellationToken);

    [Function("osl-sync")]
    [QueueOutput(PipelineQueues.Compile, Connection = QueueMessages.Connection)]
    public Task<string?> SyncOsl([TimerTrigger("%" + SyncSchedules.OslSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(IngestSources.Osl, cancellationToken);

    [Function("abs-sync")]
    [QueueOutput(PipelineQueues.Compile, Connection = QueueMessages.Connection)]
    public Task<string?> SyncAbs([TimerTrigger("%" + SyncSchedules.AbsSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(IngestSources.Abs, cancellationToken);

    /// <summary>
    /// data.gov.au's watch list. No token family reads the <c>magda</c> snapshot (the radar diffs it), so unlike the other
    /// feeds this timer asks for no compile: the compile stage would only rebuild the same inputs.
    /// </summary>
    [Function("magda-monitor")]
    public Task MonitorMagda([TimerTrigger("%" + SyncSchedules.MagdaSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(IngestSources.Magda, cancellationToken);

    /// <summary>
    /// Holidays and key dates. No token family reads the <c>calendar</c> snapshot (<c>/v1/calendar</c> reads the current
    /// generation of its table), so like <c>magda-monitor</c> this timer asks for no compile.
    /// </summary>
    [Function("calendar-sync")]
    public Task SyncCalendar([TimerTrigger("%" + SyncSchedules.CalendarSetting + "%")] TimerInfo timer, CancellationToken cancellationToken) =>
        RunAsync(IngestSources.Calendar, cancellationToken);

    private async Task<string?> RunAsync(string source, CancellationToken cancellationToken)
    {
        var worker = services.GetRequiredKeyedService<FeedSyncWorker>(source);
        var outcome = await worker.RunAsync(IngestTrigger.Timer, cancellationToken);
        if (outcome.Run.Status == IngestRunStatus.Failed)
        {
            throw new InvalidOperationException($"{source} sync {outcome.Run.RunId} failed: {outcome.Run.Error}");
        }

        logger.Outcome(() => $"{source} sync {outcome.Run.RunId}: {outcome.Run.Status}, {outcome.Run.Records} record(s).");
        return outcome.Compile is { } compile ? QueueMessages.Write(compile, IngestJsonContext.Default.CompileRequest) : null;
    }
}
