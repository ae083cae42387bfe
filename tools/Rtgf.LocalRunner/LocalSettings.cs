using System.Text.Json;

namespace Rtgf.LocalRunner;

/// <summary>
/// A <c>local.settings.json</c>: the app settings (<c>Values</c>) the handler gets as environment variables,
/// and the HTTP port (<c>Host.LocalHttpPort</c>).
/// </summary>
internal sealed record LocalSettings(string Path, IReadOnlyDictionary<string, string> Values, int? LocalHttpPort)
{
    public static LocalSettings Load(string path)
    {
        JsonElement root;
        try
        {
            root = JsonSerializer.Deserialize<JsonElement>(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new RunnerException($"{path} is not valid JSON: {e.Message}");
        }

        if (root.TryGetProperty("IsEncrypted", out var encrypted) && encrypted.ValueKind == JsonValueKind.True)
        {
            throw new RunnerException($"{path} is encrypted; the local runner reads plain settings only.");
        }

        var values = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        if (root.TryGetProperty("Values", out var entries) && entries.ValueKind == JsonValueKind.Object)
        {
            foreach (var entry in entries.EnumerateObject())
            {
                values[entry.Name] = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : entry.Value.GetRawText();
            }
        }

        int? port = root.TryGetProperty("Host", out var host) && host.TryGetProperty("LocalHttpPort", out var p) && p.TryGetInt32(out var n) ? n : null;
        return new LocalSettings(System.IO.Path.GetFullPath(path), values, port);
    }

    /// <summary>Replaces each <c>%NAME%</c> with its setting; null when a referenced setting is missing.</summary>
    public string? Resolve(string value)
    {
        var resolved = value;
        foreach (var name in Rtgf.CustomHandler.Catalog.FunctionDefinition.SettingReferences(value))
        {
            if (!TryGet(name, out var setting))
            {
                return null;
            }

            resolved = resolved.Replace($"%{name}%", setting, StringComparison.Ordinal);
        }

        return resolved;
    }

    public bool TryGet(string name, out string value)
    {
        // App settings win, then the environment (as in the host, where both are environment variables).
        if (Values.TryGetValue(name, out var fromFile) && fromFile.Length > 0)
        {
            value = fromFile;
            return true;
        }

        value = Environment.GetEnvironmentVariable(name) ?? string.Empty;
        return value.Length > 0;
    }
}
