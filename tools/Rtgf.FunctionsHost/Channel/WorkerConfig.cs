using System.Text.Json;

namespace Rtgf.FunctionsHost.Channel;

/// <summary>The Worker.Sdk's <c>worker.config.json</c>: how to start the worker (<c>description.defaultExecutablePath</c>, <c>defaultWorkerPath</c>).</summary>
public sealed record WorkerConfig(string Executable, string WorkerPath, bool WorkerIndexing)
{
    public const string FileName = "worker.config.json";

    public static WorkerConfig Read(string appDirectory)
    {
        var path = Path.Combine(appDirectory, FileName);
        if (!File.Exists(path))
        {
            throw new WorkerHandshakeException($"{path} does not exist: build the function app first (dotnet build functions/Rtgf.Functions).");
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var description = document.RootElement.GetProperty("description");
        string Read(string name) => description.TryGetProperty(name, out var value) && value.GetString() is { Length: > 0 } text
            ? text
            : throw new WorkerHandshakeException($"{path} has no description.{name}.");
        var indexing = description.TryGetProperty("workerIndexing", out var flag) && flag.ValueKind == JsonValueKind.String
            ? string.Equals(flag.GetString(), "true", StringComparison.OrdinalIgnoreCase)
            : flag.ValueKind == JsonValueKind.True;
        return new WorkerConfig(Read("defaultExecutablePath"), Read("defaultWorkerPath"), indexing);
    }
}
