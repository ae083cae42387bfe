using System.Globalization;
using System.Text.Json;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// What the runner reads from the app's host.json, with the host's defaults: the HTTP route prefix (<c>api</c>), the
/// queue trigger's settings (<c>extensions.queues</c>) and the function timeout.
/// </summary>
internal sealed record AppHostJson(string RoutePrefix, QueueSettings Queues, TimeSpan? FunctionTimeout)
{
    public static AppHostJson Load(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(path))
        {
            throw new RunnerException($"{path} does not exist: the app's build output has no host.json.");
        }

        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new RunnerException($"{path} is not valid JSON: {e.Message}");
        }

        var extensions = Child(root, "extensions");
        var http = Child(extensions, "http");
        var queues = Child(extensions, "queues");
        var prefix = String(http, "routePrefix") ?? "api";
        var defaults = QueueSettings.Default;
        var settings = new QueueSettings(
            Int(queues, "batchSize") ?? defaults.BatchSize,
            Int(queues, "newBatchThreshold"),
            Int(queues, "maxDequeueCount") ?? defaults.MaxDequeueCount,
            Time(queues, "visibilityTimeout", path) ?? defaults.VisibilityTimeout,
            Time(queues, "maxPollingInterval", path) ?? defaults.MaxPollingInterval,
            !string.Equals(String(queues, "messageEncoding"), "none", StringComparison.OrdinalIgnoreCase));
        if (settings.BatchSize is < 1 or > 32 || settings.MaxDequeueCount < 1)
        {
            throw new RunnerException($"{path}: extensions.queues.batchSize must be 1-32 and maxDequeueCount at least 1.");
        }

        return new AppHostJson(prefix, settings, Time(root, "functionTimeout", path));
    }

    private static JsonElement? Child(JsonElement? parent, string name) =>
        parent is { ValueKind: JsonValueKind.Object } p && p.EnumerateObject().FirstOrDefault(x => string.Equals(x.Name, name, StringComparison.OrdinalIgnoreCase)) is { Value.ValueKind: not JsonValueKind.Undefined } found
            ? found.Value
            : null;

    private static string? String(JsonElement? parent, string name) => Child(parent, name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    private static int? Int(JsonElement? parent, string name) => Child(parent, name) is { ValueKind: JsonValueKind.Number } v && v.TryGetInt32(out var n) ? n : null;

    private static TimeSpan? Time(JsonElement? parent, string name, string path) => String(parent, name) switch
    {
        null => null,
        var text when TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var value) => value,
        var text => throw new RunnerException($"{path}: {name} '{text}' is not a time span (hh:mm:ss)."),
    };
}

/// <summary>
/// The queue trigger's settings (host.json <c>extensions.queues</c>; defaults as in the Storage extension 5.x): messages
/// per fetch, when to fetch more, deliveries before the poison queue, how long a failed message stays hidden, the
/// longest wait between polls of an empty queue (2 s: the extension's default in development, where a minute would
/// look like a hang), and whether message bodies are Base64.
/// </summary>
internal sealed record QueueSettings(int BatchSize, int? NewBatchThreshold, int MaxDequeueCount, TimeSpan VisibilityTimeout, TimeSpan MaxPollingInterval, bool Base64)
{
    public static QueueSettings Default { get; } = new(16, null, 5, TimeSpan.Zero, TimeSpan.FromSeconds(2), true);

    /// <summary>Messages in flight before the next fetch: the threshold if set, else half the batch (host's default).</summary>
    public int Concurrency => BatchSize + (NewBatchThreshold ?? BatchSize / 2);
}
