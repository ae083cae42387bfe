namespace Rtgf.Cli;

/// <summary>The CLI's clock: a composition root, so it may pick the system clock (allow-listed in .editorconfig).</summary>
internal static class CliClock
{
    public static TimeProvider System => TimeProvider.System;
}
