using System.Text.Json;
using System.Text.RegularExpressions;

namespace Rtgf.LocalRunner;

/// <summary>
/// A <c>local.settings.json</c>: the app settings (<c>Values</c>) the worker gets as environment variables,
/// and the HTTP port (<c>Host.LocalHttpPort</c>).
/// </summary>
internal sealed partial record LocalSettings(string Path, IReadOnlyDictionary<string, string> Values, int? LocalHttpPort)
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
        foreach (var name in SettingReference().Matches(value).Select(m => m.Groups["name"].Value).Distinct(StringComparer.Ordinal))
        {
            if (!TryGet(name, out var setting))
            {
                return null;
            }

            resolved = resolved.Replace($"%{name}%", setting, StringComparison.Ordinal);
        }

        return resolved;
    }

    /// <summary>This file's settings with <paramref name="overrides"/> on top, as the settings the worker gets (for resolving <c>%NAME%</c>).</summary>
    public LocalSettings With(IReadOnlyDictionary<string, string> overrides)
    {
        var values = new Dictionary<string, string>(Values, StringComparer.OrdinalIgnoreCase);
        foreach (var (name, value) in overrides)
        {
            values[name] = value;
        }

        return this with { Values = values };
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

    [GeneratedRegex("%(?<name>[A-Za-z0-9_]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex SettingReference();
}
