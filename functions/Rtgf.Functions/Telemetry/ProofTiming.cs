using Rtgf.Core.Telemetry;

namespace Rtgf.Functions.Telemetry;

/// <summary><see cref="RtgfMetrics.TransparencyProofDurationMs"/> around a proof computed from the log's tiles, on the app's clock.</summary>
internal static class ProofTiming
{
    public static long Start(HttpContext http) => Clock(http).GetTimestamp();

    public static void Record(HttpContext http, long started, string kind) =>
        RtgfMetrics.TransparencyProofDurationMs.Record(
            Clock(http).GetElapsedTime(started).TotalMilliseconds, new KeyValuePair<string, object?>("kind", kind));

    private static TimeProvider Clock(HttpContext http) => http.RequestServices.GetRequiredService<TimeProvider>();
}
