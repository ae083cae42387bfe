namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// Settings the runner supplies for a local run (upstream, issuer key, issuer address) only where the developer has
/// not: a value in local.settings.json or the environment always wins.
/// </summary>
internal static class SettingDefaults
{
    /// <summary>Whether a setting has a value, written with <c>__</c> (environment form) or <c>:</c> (configuration form).</summary>
    public static bool IsSet(LocalSettings settings, string name) =>
        settings.TryGet(name, out _) || settings.TryGet(name.Replace("__", ":", StringComparison.Ordinal), out _);

    /// <summary>Adds each default the settings leave unset to the handler's environment; returns the names it added.</summary>
    public static IReadOnlyList<string> Apply(IDictionary<string, string> environment, LocalSettings settings, IEnumerable<KeyValuePair<string, string>> defaults)
    {
        var applied = new List<string>();
        foreach (var (name, value) in defaults)
        {
            if (!IsSet(settings, name))
            {
                environment[name] = value;
                applied.Add(name);
            }
        }

        return applied;
    }
}
