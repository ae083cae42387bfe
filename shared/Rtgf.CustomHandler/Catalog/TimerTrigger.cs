namespace Rtgf.CustomHandler.Catalog;

/// <summary>
/// A timer on an NCRONTAB schedule (UTC), normally an app setting reference such as <c>%INGEST_TGA_SCHEDULE%</c>
/// so each environment sets its own cadence.
/// </summary>
public sealed record TimerTrigger(string Schedule, bool RunOnStartup = false, bool UseMonitor = true) : FunctionTrigger("timer")
{
    public override string BindingType => "timerTrigger";
}
