using System.Text.Json.Nodes;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>How an invocation ended, as the host would judge it.</summary>
internal sealed record InvocationOutcome(
    bool Succeeded,
    int? StatusCode,
    JsonObject? Outputs,
    IReadOnlyList<string> Logs,
    string? Error,
    TimeSpan Duration)
{
    public static InvocationOutcome Failed(string error, TimeSpan duration, int? statusCode = null) =>
        new(false, statusCode, null, [], error, duration);
}
