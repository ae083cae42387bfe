using Microsoft.Extensions.Logging;

namespace Rtgf.Pipeline.Publishing;

/// <summary>The pipeline stages' log events.</summary>
internal static partial class PipelineLog
{
    public const string DeterminismFailEvent = "RTGF_PIPELINE_DETERMINISM_FAIL";
    public const string PublishWaitExpiredEvent = "RTGF_PIPELINE_PUBLISH_WAIT_EXPIRED";

    [LoggerMessage(EventId = 6001, EventName = DeterminismFailEvent, Level = LogLevel.Error,
        Message = "RTGF_PIPELINE_DETERMINISM_FAIL: build {BuildId} recompiled to a different manifest ({Expected} != {Actual}); publication is frozen")]
    public static partial void DeterminismFail(ILogger logger, string buildId, string expected, string actual);

    [LoggerMessage(EventId = 6002, Level = LogLevel.Information, Message = "Compiled build {BuildId} ({Tokens} tokens) from {Inputs} snapshots")]
    public static partial void Compiled(ILogger logger, string buildId, int tokens, int inputs);

    [LoggerMessage(EventId = 6003, Level = LogLevel.Warning, Message = "Not compiling: source {Source} has no snapshot yet")]
    public static partial void MissingSource(ILogger logger, string source);

    [LoggerMessage(EventId = 6004, Level = LogLevel.Information, Message = "Build {BuildId} passed QA: the rebuild is byte-identical")]
    public static partial void QaPassed(ILogger logger, string buildId);

    [LoggerMessage(EventId = 6005, Level = LogLevel.Information, Message = "Publish of build {BuildId} waits ({Reason}); re-queued for {DelaySeconds} s (wait {Attempts}): {Detail}")]
    public static partial void PublishWaiting(ILogger logger, string buildId, PublicationWaitReason reason, double delaySeconds, int attempts, string detail);

    [LoggerMessage(EventId = 6006, EventName = PublishWaitExpiredEvent, Level = LogLevel.Error,
        Message = "RTGF_PIPELINE_PUBLISH_WAIT_EXPIRED: build {BuildId} has waited to publish since {Since:O} ({Attempts} re-queues); giving up, the message fails and will be dead-lettered: {Detail}")]
    public static partial void PublishWaitExpired(ILogger logger, string buildId, DateTimeOffset since, int attempts, string detail);

    [LoggerMessage(EventId = 6007, Level = LogLevel.Information, Message = "Build {BuildId}: the {Stage} request was already sent for message {Claimant}; this delivery ({MessageId}) sends nothing")]
    public static partial void DuplicateHandOff(ILogger logger, string buildId, string stage, string claimant, string messageId);
}
