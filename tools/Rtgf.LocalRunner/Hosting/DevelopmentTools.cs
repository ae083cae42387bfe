using Rtgf.Tooling;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>What a fresh checkout needs before a local run: Azurite from the lockfile, and the app's build.</summary>
internal static class DevelopmentTools
{
    /// <summary>Installs the npm packages (Azurite) from package-lock.json if they are missing.</summary>
    public static async Task EnsureAzuriteAsync(string repositoryRoot, RunnerEvents events, CancellationToken cancellationToken)
    {
        if (File.Exists(RepositoryLayout.AzuriteExecutable(repositoryRoot)))
        {
            return;
        }

        events.Emit("npm", ("message", "installing Azurite from package-lock.json (npm ci)"));
        await RunAsync("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"], repositoryRoot, "npm ci", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Builds the function app (<c>dotnet build functions/Rtgf.Functions -c Release</c>) and returns its build output: a
    /// normal isolated worker app (worker.config.json, functions.metadata, host.json) as <c>func start</c> runs it. The
    /// build's own progress lines are passed on, so a first build (restore, the SDK's extension project) is not silent.
    /// </summary>
    public static async Task<string> BuildAppAsync(string repositoryRoot, RunnerEvents events, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var project = Path.Combine(repositoryRoot, "functions", "Rtgf.Functions", "Rtgf.Functions.csproj");
        var output = Path.Combine(repositoryRoot, "artifacts", "bin", "Rtgf.Functions", "release");
        events.Emit("build", ("message", "building functions/Rtgf.Functions (Release); a first build restores packages and can take a minute"), ("output", output));
        var started = timeProvider.GetTimestamp();
        await RunAsync(
            "dotnet",
            ["build", project, "-c", "Release", "--nologo", "-v", "minimal", "-clp:NoSummary"],
            repositoryRoot,
            "dotnet build",
            cancellationToken,
            (line, _) =>
            {
                // Progress ("Restored …", "Project -> path") and errors; not the blank lines and banners.
                var text = line.Trim();
                if (text.Length > 0 && (text.Contains(" -> ", StringComparison.Ordinal) || text.StartsWith("Restor", StringComparison.Ordinal) || text.Contains("error", StringComparison.OrdinalIgnoreCase)))
                {
                    events.Emit("build", ("message", text));
                }
            }).ConfigureAwait(false);
        events.Emit("build", ("message", "app built"), ("durationMs", Math.Round(timeProvider.GetElapsedTime(started).TotalMilliseconds)));
        return output;
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, string what, CancellationToken cancellationToken, Action<string, bool>? output = null)
    {
        try
        {
            await ChildProcess.RunAsync(new ChildProcessStartInfo(what, fileName) { Arguments = arguments, WorkingDirectory = workingDirectory, OnOutputLine = output }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new RunnerException(e.Message, e);
        }
    }
}
