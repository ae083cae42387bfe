using System.Runtime.InteropServices;
using Rtgf.Tooling;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>What a fresh checkout needs before a local run: Azurite from the lockfile, and the app's script root.</summary>
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
    /// Publishes the function app for this machine into a script root (host.json, function folders and a
    /// self-contained handler: the same files a deployment zip holds) and returns its path.
    /// </summary>
    public static async Task<string> PublishScriptRootAsync(string repositoryRoot, RunnerEvents events, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        var output = Path.Combine(repositoryRoot, "artifacts", "local", "scriptroot");
        var project = Path.Combine(repositoryRoot, "functions", "Rtgf.Functions", "Rtgf.Functions.csproj");
        events.Emit("build", ("message", "publishing functions/Rtgf.Functions as a script root"), ("output", output));
        var started = timeProvider.GetTimestamp();
        await RunAsync(
            "dotnet",
            ["publish", project, "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "--self-contained", "-o", output, "-p:PublishReadyToRun=false", "--nologo", "-v", "quiet"],
            repositoryRoot,
            "dotnet publish",
            cancellationToken).ConfigureAwait(false);
        events.Emit("build", ("message", "script root ready"), ("durationMs", Math.Round(timeProvider.GetElapsedTime(started).TotalMilliseconds)));
        return output;
    }

    private static async Task RunAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, string what, CancellationToken cancellationToken)
    {
        try
        {
            await ChildProcess.RunAsync(new ChildProcessStartInfo(what, fileName) { Arguments = arguments, WorkingDirectory = workingDirectory }, cancellationToken).ConfigureAwait(false);
        }
        catch (InvalidOperationException e)
        {
            throw new RunnerException(e.Message, e);
        }
    }
}
