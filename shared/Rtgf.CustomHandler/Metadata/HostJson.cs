using System.Globalization;
using System.Text.Json;

namespace Rtgf.CustomHandler.Metadata;

/// <summary>The parts of <c>host.json</c> a custom-handler app depends on, read as the host reads them.</summary>
public sealed record HostJson(
    string Version,
    CustomHandlerDescription Description,
    bool EnableForwardingHttpRequest,
    string RoutePrefix,
    TimeSpan? FunctionTimeout,
    string? ExtensionBundleId,
    string? ExtensionBundleVersion,
    QueuesSettings Queues,
    ServiceBusSettings ServiceBus)
{
    public const string FileName = "host.json";

    private static readonly JsonSerializerOptions Lenient = new() { ReadCommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };

    /// <summary>Reads host.json; throws <see cref="ScriptRootException"/> naming what is missing or wrong.</summary>
    public static HostJson Parse(string json)
    {
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(json, Lenient);
        }
        catch (JsonException e)
        {
            throw new ScriptRootException($"host.json is not valid JSON: {e.Message}");
        }

        var version = Property(root, "version")?.GetString() ?? throw new ScriptRootException("host.json has no \"version\" (must be \"2.0\").");

        // "customHandler" wins over the deprecated "httpWorker", as in the host.
        var handler = Property(root, "customHandler") ?? Property(root, "httpWorker")
            ?? throw new ScriptRootException("host.json has no \"customHandler\" section.");
        var description = Property(handler, "description") ?? throw new ScriptRootException("host.json customHandler has no \"description\".");
        var executable = Property(description, "defaultExecutablePath")?.GetString();
        if (string.IsNullOrWhiteSpace(executable))
        {
            throw new ScriptRootException("host.json customHandler.description has no \"defaultExecutablePath\".");
        }

        var arguments = Property(description, "arguments") is { ValueKind: JsonValueKind.Array } args
            ? args.EnumerateArray().Select(a => a.GetString() ?? string.Empty).ToList()
            : [];
        var extensions = Property(root, "extensions");
        var http = extensions is { } e1 ? Property(e1, "http") : null;
        var queues = extensions is { } e2 ? Property(e2, "queues") : null;
        var serviceBus = extensions is { } e3 ? Property(e3, "serviceBus") : null;
        var bundle = Property(root, "extensionBundle");

        return new HostJson(
            version,
            new CustomHandlerDescription(executable, Property(description, "defaultWorkerPath")?.GetString(), Property(description, "workingDirectory")?.GetString() ?? string.Empty, arguments),
            Property(handler, "enableForwardingHttpRequest")?.GetBoolean() ?? false,
            (http is { } h ? Property(h, "routePrefix")?.GetString() : null) ?? "api",
            Duration(Property(root, "functionTimeout")),
            bundle is { } b1 ? Property(b1, "id")?.GetString() : null,
            bundle is { } b2 ? Property(b2, "version")?.GetString() : null,
            new QueuesSettings(
                Int(queues, "maxDequeueCount") ?? 5,
                Duration(queues is { } q1 ? Property(q1, "visibilityTimeout") : null) ?? TimeSpan.Zero,
                Int(queues, "batchSize") ?? 16,
                (queues is { } q2 ? Property(q2, "messageEncoding")?.GetString() : null) ?? "base64",
                Duration(queues is { } q3 ? Property(q3, "maxPollingInterval") : null) ?? TimeSpan.FromMinutes(1)),
            new ServiceBusSettings(
                Int(serviceBus, "maxConcurrentCalls") ?? 16,
                Duration(serviceBus is { } s ? Property(s, "maxAutoLockRenewalDuration") : null) ?? TimeSpan.FromMinutes(5)));
    }

    // The host binds host.json case-insensitively.
    private static JsonElement? Property(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                return property.Value;
            }
        }

        return null;
    }

    private static int? Int(JsonElement? section, string name) =>
        section is { } s && Property(s, name) is { ValueKind: JsonValueKind.Number } v ? v.GetInt32() : null;

    private static TimeSpan? Duration(JsonElement? value)
    {
        if (value is not { ValueKind: JsonValueKind.String } v)
        {
            return null;
        }

        return TimeSpan.TryParse(v.GetString(), CultureInfo.InvariantCulture, out var span)
            ? span
            : throw new ScriptRootException($"host.json: '{v.GetString()}' is not a duration (hh:mm:ss).");
    }
}
