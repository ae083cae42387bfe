using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// Where a running runner says it listens (<c>artifacts/local/runner.json</c>: port and process id), so <c>run</c> from the
/// same checkout reaches it without being told the port. Written when ready, removed on stop (only by its writer).
/// </summary>
internal static class RunnerState
{
    public static string PathIn(string repositoryRoot) => Path.Combine(repositoryRoot, "artifacts", "local", "runner.json");

    public static void Write(string repositoryRoot, int port, int processId)
    {
        var path = PathIn(repositoryRoot);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, new JsonObject { ["port"] = port, ["pid"] = processId }.ToJsonString());
    }

    public static void Remove(string repositoryRoot, int processId)
    {
        if (Read(repositoryRoot) is { ProcessId: var writer } && writer == processId)
        {
            File.Delete(PathIn(repositoryRoot));
        }
    }

    /// <summary>The running runner's port, if its state file names a process that is still alive.</summary>
    public static int? RunningPort(string repositoryRoot) =>
        Read(repositoryRoot) is { } state && IsAlive(state.ProcessId) ? state.Port : null;

    private static (int Port, int ProcessId)? Read(string repositoryRoot)
    {
        try
        {
            var state = JsonNode.Parse(File.ReadAllText(PathIn(repositoryRoot)));
            return (state!["port"]!.GetValue<int>(), state["pid"]!.GetValue<int>());
        }
        catch (Exception e) when (e is IOException or JsonException or NullReferenceException or InvalidOperationException or FormatException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsAlive(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

}
