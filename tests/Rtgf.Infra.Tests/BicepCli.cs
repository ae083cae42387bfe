using System.Diagnostics;
using System.Reflection;

namespace Rtgf.Infra.Tests;

/// <summary>
/// The bicep binary of the pinned NuGet package (Azure.Bicep.CommandLine.linux-x64, Directory.Packages.props): no global
/// install. A missing binary fails the tests loudly.
/// </summary>
internal static class BicepCli
{
    public static string RepoRoot { get; } = Metadata("RepoRoot");

    public static string InfraDirectory { get; } = Path.Combine(RepoRoot, "infra");

    public static string Executable
    {
        get
        {
            var root = Metadata("BicepPackageRoot");
            var path = Path.Combine(root, "tools", OperatingSystem.IsWindows() ? "bicep.exe" : "bicep");
            if (string.IsNullOrEmpty(root) || !File.Exists(path))
            {
                throw new InvalidOperationException(
                    $"The bicep binary is missing at '{path}': restore tests/Rtgf.Infra.Tests (package Azure.Bicep.CommandLine.linux-x64).");
            }

            return path;
        }
    }

    /// <summary>Runs bicep; returns its exit code and everything it wrote (diagnostics go to stderr).</summary>
    public static (int ExitCode, string Output) Run(params string[] arguments)
    {
        var start = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = RepoRoot,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // No telemetry and no network: the build is offline (types ship in the binary).
        start.Environment["BICEP_TELEMETRY_ENABLED"] = "false";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("bicep did not start.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException("bicep " + string.Join(' ', arguments) + " did not finish in 5 minutes.");
        }

        return (process.ExitCode, stdout.Result + stderr.Result);
    }

    public static IEnumerable<string> BicepFiles() =>
        Directory.EnumerateFiles(InfraDirectory, "*.bicep", SearchOption.AllDirectories).Order(StringComparer.Ordinal);

    private static string Metadata(string key) =>
        typeof(BicepCli).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().SingleOrDefault(a => a.Key == key)?.Value
        ?? throw new InvalidOperationException($"Assembly metadata '{key}' is missing (see Rtgf.Infra.Tests.csproj).");
}
