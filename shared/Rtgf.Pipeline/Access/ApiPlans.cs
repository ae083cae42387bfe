using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace Rtgf.Pipeline.Access;

/// <summary>A plan's limits: a per-minute rate with a burst allowance, and a monthly quota (UTC calendar months).</summary>
public sealed record ApiPlan(string Name, int RequestsPerMinute, int Burst, long MonthlyQuota);

/// <summary>
/// The plans: built-in defaults, each value overridable (and new plans added) by the settings
/// <c>ApiPlans:{name}:RequestsPerMinute|Burst|MonthlyQuota</c>.
/// </summary>
public sealed class ApiPlans
{
    public const string SectionName = "ApiPlans";
    public const string Free = "free";

    private static readonly ApiPlan[] Defaults =
    [
        new(Free, 60, 20, 10_000),
        new("standard", 600, 100, 1_000_000),
        new("enterprise", 6_000, 1_000, 50_000_000),
    ];

    private readonly Dictionary<string, ApiPlan> _plans;

    public ApiPlans(IEnumerable<ApiPlan> plans) => _plans = plans.ToDictionary(p => p.Name, StringComparer.Ordinal);

    public IReadOnlyList<ApiPlan> All => [.. _plans.Values.OrderBy(p => p.Name, StringComparer.Ordinal)];

    public bool TryGet(string name, out ApiPlan plan) => _plans.TryGetValue(name, out plan!);

    /// <summary>A key's plan; a plan removed from the settings since the key was made counts as <see cref="Free"/>.</summary>
    public ApiPlan For(string name) => _plans.TryGetValue(name, out var plan) ? plan : _plans[Free];

    public static ApiPlans FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var plans = Defaults.ToDictionary(p => p.Name, StringComparer.Ordinal);
        foreach (var section in configuration.GetSection(SectionName).GetChildren())
        {
            var name = section.Key.ToLowerInvariant();
            var basis = plans.TryGetValue(name, out var known) ? known : new ApiPlan(name, 60, 20, 10_000);
            var plan = basis with
            {
                RequestsPerMinute = (int)Positive(section, "RequestsPerMinute", basis.RequestsPerMinute),
                Burst = (int)Positive(section, "Burst", basis.Burst),
                MonthlyQuota = Positive(section, "MonthlyQuota", basis.MonthlyQuota),
            };
            plans[name] = plan;
        }

        return new ApiPlans(plans.Values);
    }

    private static long Positive(IConfigurationSection section, string name, long fallback)
    {
        var text = section[name];
        if (text is null)
        {
            return fallback;
        }

        return long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= int.MaxValue
            ? value
            : throw new InvalidOperationException($"The setting {SectionName}:{section.Key}:{name} must be a positive whole number (it is '{text}').");
    }
}
