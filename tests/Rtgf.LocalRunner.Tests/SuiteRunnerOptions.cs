namespace Rtgf.LocalRunner.Tests;

/// <summary>How a <see cref="SuiteRunner"/> starts the local runner.</summary>
public sealed record SuiteRunnerOptions
{
    /// <summary>A schedule no test run reaches (midnight on 1 January), so pipeline tests run syncs when they choose.</summary>
    public const string NeverInATestRun = "0 0 0 1 1 *";

    /// <summary>The app's build output; null runs the real app (functions/Rtgf.Functions' build output).</summary>
    public string? AppDirectory { get; init; }

    /// <summary>
    /// App settings over the repository's local.settings.sample.json (whose <c>*_SCHEDULE</c> settings are first set to
    /// <see cref="NeverInATestRun"/>). Set a schedule here to let its timer fire on its own.
    /// </summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>More runner arguments, e.g. <c>--upstream none</c> or <c>--max-request-body-size 1000</c>.</summary>
    public IReadOnlyList<string> Arguments { get; init; } = [];

    /// <summary>How long <see cref="SuiteRunner.WaitForAsync"/> waits by default (also the start-up limit).</summary>
    public TimeSpan Wait { get; init; } = TimeSpan.FromSeconds(120);
}
