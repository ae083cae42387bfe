using Microsoft.Extensions.Logging;

namespace Rtgf.Ingestion.Outbound;

/// <summary>The pipeline's log lines. They carry no headers, bodies or credentials.</summary>
internal static partial class OutboundLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Outbound {Upstream} {Host} {Operation} attempt {Attempt}: {Status} in {DurationMs} ms, {Bytes} bytes, correlation {CorrelationId}")]
    public static partial void Attempt(ILogger logger, string upstream, string host, string operation, int attempt, string status, double durationMs, long bytes, string correlationId);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "Outbound {Upstream} {Operation} refused: {Reason}")]
    public static partial void Refused(ILogger logger, string upstream, string operation, string reason);
}
