using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.LocalRunner.Invocation;

/// <summary>
/// The worker's log, filtered for a console people read: the functions' own lines (category User) at Information and
/// above, one line each with the invocation they belong to; the worker's and ASP.NET Core's own chatter (System) only at
/// Warning and above (the worker labels ASP.NET Core's per-request lines User: they count as its own); metrics never. Its stdout is dropped (the same lines arrive over gRPC), its stderr kept.
/// </summary>
internal sealed class WorkerLog(RunnerEvents events)
{
    private const int MaxMessageLength = 500;

    public void Write(RpcLog log)
    {
        ArgumentNullException.ThrowIfNull(log);
        var minimum = log.LogCategory switch
        {
            RpcLog.Types.RpcLogCategory.User when !IsFramework(log.Category) => RpcLog.Types.Level.Information,
            RpcLog.Types.RpcLogCategory.User or RpcLog.Types.RpcLogCategory.System => RpcLog.Types.Level.Warning,
            _ => RpcLog.Types.Level.None,
        };
        if (log.Level < minimum || log.Level == RpcLog.Types.Level.None)
        {
            return;
        }

        events.Emit(
            "log",
            ("level", log.Level.ToString().ToLowerInvariant()),
            ("category", log.Category),
            ("invocationId", string.IsNullOrEmpty(log.InvocationId) ? null : log.InvocationId),
            ("message", Summary(log.Message)),
            ("exception", log.Exception is { } e ? Summary(string.IsNullOrEmpty(e.Type) ? e.Message : $"{e.Type}: {e.Message}") : null));
    }

    public void Output(string line, bool isError)
    {
        if (isError && line.Length > 0)
        {
            events.Emit("worker-stderr", ("line", line));
        }
    }

    // The worker sends ASP.NET Core's and the hosting's own lines (one per request) as User logs: they are chatter too.
    private static bool IsFramework(string category) =>
        category.StartsWith("Microsoft.", StringComparison.Ordinal) || category.StartsWith("System.", StringComparison.Ordinal) || category.StartsWith("Grpc.", StringComparison.Ordinal);

    // One line: the first line of the message, cut at a length a console shows.
    private static string Summary(string message)
    {
        var first = message.AsSpan().Trim();
        var end = first.IndexOfAny('\r', '\n');
        var line = end < 0 ? first : first[..end];
        return line.Length <= MaxMessageLength ? line.ToString() : string.Concat(line[..MaxMessageLength], "…");
    }
}
