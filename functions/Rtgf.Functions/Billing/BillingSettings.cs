using System.Globalization;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Billing;

namespace Rtgf.Functions.Billing;

/// <summary>
/// The billing settings (docs/spec/billing.md): <c>Billing:Prices:{plan}</c> (a Stripe price id per paid plan of
/// <see cref="ApiPlans"/>, for new checkouts), <c>Billing:LegacyPrices:{plan}</c> (comma-separated earlier prices of the
/// plan, still recognised when applying), <c>Billing:SuccessUrl</c>, <c>Billing:CancelUrl</c>, <c>Billing:GraceDays</c> (default 7).
/// </summary>
public sealed class BillingSettings
{
    public const string PricesSection = "Billing:Prices";
    public const string LegacyPricesSection = "Billing:LegacyPrices";
    public const string SuccessUrlSetting = "Billing:SuccessUrl";
    public const string CancelUrlSetting = "Billing:CancelUrl";
    public const string GraceDaysSetting = "Billing:GraceDays";
    public const string GraceScheduleSetting = "BILLING_GRACE_SCHEDULE";
    public const string DefaultGraceSchedule = "0 15 * * * *";
    public const int DefaultGraceDays = 7;

    private readonly Dictionary<string, string> _priceOfPlan;

    private BillingSettings(Dictionary<string, string> priceOfPlan, Dictionary<string, string> planOfPrice, string? successUrl, string? cancelUrl, TimeSpan grace, ApiPlans plans)
    {
        _priceOfPlan = priceOfPlan;
        SuccessUrl = successUrl;
        CancelUrl = cancelUrl;
        Plans = plans;
        // Which of two live subscriptions pays better: the plan that gives more (monthly quota, then rate).
        Rules = new BillingRules(planOfPrice, grace, plans.All.ToDictionary(p => p.Name, p => (p.MonthlyQuota, p.RequestsPerMinute), StringComparer.Ordinal));
    }

    public ApiPlans Plans { get; }

    public string? SuccessUrl { get; }

    public string? CancelUrl { get; }

    public BillingRules Rules { get; }

    /// <summary>The paid plans on sale, ordered by name.</summary>
    public IReadOnlyList<string> PaidPlans => [.. _priceOfPlan.Keys.OrderBy(p => p, StringComparer.Ordinal)];

    /// <summary>The Stripe price of a paid plan; null for the free plan, an unknown plan, or a plan with no price set.</summary>
    public string? PriceOf(string plan) => _priceOfPlan.TryGetValue(plan, out var price) ? price : null;

    public static BillingSettings FromConfiguration(IConfiguration configuration, ApiPlans plans)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        ArgumentNullException.ThrowIfNull(plans);
        var prices = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var section in configuration.GetSection(PricesSection).GetChildren())
        {
            var plan = section.Key.ToLowerInvariant();
            if (string.IsNullOrWhiteSpace(section.Value))
            {
                continue;
            }

            if (plan == ApiPlans.Free || !plans.TryGet(plan, out _))
            {
                throw new InvalidOperationException($"The setting {PricesSection}:{section.Key} names no paid plan of ApiPlans (the free plan is never sold).");
            }

            prices[plan] = section.Value.Trim();
        }

        // Every price recognised when applying: the current ones and the legacy ones (earlier prices payers are still on).
        var planOfPrice = new Dictionary<string, string>(StringComparer.Ordinal);
        var all = prices.Select(p => (Plan: p.Key, Price: p.Value)).ToList();
        foreach (var section in configuration.GetSection(LegacyPricesSection).GetChildren())
        {
            var plan = section.Key.ToLowerInvariant();
            if (string.IsNullOrWhiteSpace(section.Value))
            {
                continue;
            }

            if (plan == ApiPlans.Free || !plans.TryGet(plan, out _))
            {
                throw new InvalidOperationException($"The setting {LegacyPricesSection}:{section.Key} names no paid plan of ApiPlans.");
            }

            all.AddRange(section.Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Select(price => (plan, price)));
        }

        foreach (var (plan, price) in all)
        {
            if (!planOfPrice.TryAdd(price, plan))
            {
                throw new InvalidOperationException($"The settings {PricesSection}:* and {LegacyPricesSection}:* give the price {price} twice: a price must be listed once, for one plan.");
            }
        }

        var graceDays = configuration[GraceDaysSetting] switch
        {
            null or "" => DefaultGraceDays,
            var text when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var days) && days >= 0 && days <= 365 => days,
            var text => throw new InvalidOperationException($"The setting {GraceDaysSetting} must be a whole number of days from 0 to 365 (it is '{text}')."),
        };
        return new BillingSettings(prices, planOfPrice, Blank(configuration[SuccessUrlSetting]), Blank(configuration[CancelUrlSetting]), TimeSpan.FromDays(graceDays), plans);
    }

    private static string? Blank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value.Trim();
}
