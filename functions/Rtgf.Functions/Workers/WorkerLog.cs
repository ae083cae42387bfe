namespace Rtgf.Functions.Workers;

/// <summary>The one line each pipeline invocation logs about its outcome (the host logs start, end and duration).</summary>
internal static partial class WorkerLog
{
    /// <summary>Logs the outcome, formatted only when Information is enabled.</summary>
    public static void Outcome(this ILogger logger, Func<string> outcome)
    {
        if (logger.IsEnabled(LogLevel.Information))
        {
#pragma warning disable CA1873 // Formatted only inside the IsEnabled check above.
            Log(logger, outcome());
#pragma warning restore CA1873
        }
    }

    [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "{Outcome}", SkipEnabledCheck = true)]
    private static partial void Log(ILogger logger, string outcome);
}
