using System.Globalization;

namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// <c>QuickBooks:*</c> (docs/spec/billing.md, "QuickBooks Online reconcile"). Configured when the app's client id and
/// secret, the company (realm) and the Key Vault holding the refresh token are all set; otherwise <see cref="Missing"/>
/// names what is not, and the <c>qb-reconcile</c> timer logs that one line and does nothing.
/// </summary>
public sealed class QuickBooksSettings
{
    public const string ScheduleSetting = "QB_RECONCILE_SCHEDULE";
    public const string DefaultSchedule = "0 20 * * * *";
    public const string DefaultSecretName = "quickbooks-refresh-token";
    public const string DefaultTimeZone = "Australia/Sydney";

    private static readonly string[] Required = ["ClientId", "ClientSecret", "RealmId", "KeyVaultUri"];

    public string? ClientId { get; init; }

    public string? ClientSecret { get; init; }

    public string? RealmId { get; init; }

    public Uri? KeyVaultUri { get; init; }

    public string RefreshTokenSecret { get; init; } = DefaultSecretName;

    public Uri ApiBase { get; init; } = new("https://quickbooks.api.intuit.com/");

    public Uri TokenUrl { get; init; } = new("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer");

    /// <summary>The QuickBooks item (product or service) every receipt line names.</summary>
    public string ItemId { get; init; } = "1";

    /// <summary>The account refunds are paid from (RefundReceipt.DepositToAccountRef, which QuickBooks requires).</summary>
    public string RefundAccountId { get; init; } = "35";

    /// <summary>How far back each run re-reads Stripe: an invoice created this long ago may be paid only now.</summary>
    public TimeSpan Lookback { get; init; } = TimeSpan.FromDays(35);

    /// <summary>The first day reconciled (UTC) when there is no watermark yet.</summary>
    public DateOnly? StartDate { get; init; }

    /// <summary>How many days back a run writes missing daily reports (a day whose runs all failed, or an outage).</summary>
    public int ReportDays { get; init; } = 7;

    /// <summary>
    /// How long a run claims payments (8 minutes, inside the 10-minute functionTimeout): then it stops, leaves the
    /// watermark, and the next run carries on (a first run or a backfill at Intuit's rate limit takes longer than one run).
    /// </summary>
    public TimeSpan RunBudget { get; init; } = TimeSpan.FromMinutes(8);

    /// <summary>The company's time zone (IANA): a payment's TxnDate, a report's day and "yesterday" are its dates.</summary>
    public TimeZoneInfo TimeZone { get; init; } = TimeZoneInfo.FindSystemTimeZoneById(DefaultTimeZone);

    /// <summary>The company's home currency (lower case, as Stripe writes it; a two-decimal currency): payments in another are reported, not booked.</summary>
    public string Currency { get; init; } = "aud";

    /// <summary>The tax code every line carries (e.g. GST on income); null: no TaxCodeRef, QuickBooks' default.</summary>
    public string? TaxCodeId { get; init; }

    public int MaxRetries { get; init; } = 3;

    public TimeSpan RetryDelay { get; init; } = TimeSpan.FromMilliseconds(500);

    public string Missing { get; init; } = string.Empty;

    public bool IsConfigured => Missing.Length == 0;

    public static QuickBooksSettings FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        string? Text(string name) => configuration["QuickBooks:" + name] is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;
        var missing = Required.Where(n => Text(n) is null).Select(n => "QuickBooks:" + n).ToList();
        return new QuickBooksSettings
        {
            ClientId = Text("ClientId"),
            ClientSecret = Text("ClientSecret"),
            RealmId = Text("RealmId"),
            KeyVaultUri = Text("KeyVaultUri") is { } vault ? Url("KeyVaultUri", vault) : null,
            RefreshTokenSecret = Text("RefreshTokenSecret") ?? DefaultSecretName,
            ApiBase = Text("ApiBase") is { } api ? Url("ApiBase", api.EndsWith('/') ? api : api + "/") : new Uri("https://quickbooks.api.intuit.com/"),
            TokenUrl = Text("TokenUrl") is { } token ? Url("TokenUrl", token) : new Uri("https://oauth.platform.intuit.com/oauth2/v1/tokens/bearer"),
            ItemId = Text("ItemId") ?? "1",
            RefundAccountId = Text("RefundAccountId") ?? "35",
            Lookback = TimeSpan.FromDays(Number(Text("LookbackDays"), "LookbackDays", 35, 1, 400)),
            StartDate = Text("StartDate") is { } start
                ? DateOnly.TryParseExact(start, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) ? day : throw new InvalidOperationException($"The setting QuickBooks:StartDate must be a date, yyyy-MM-dd (it is '{start}').")
                : null,
            ReportDays = Number(Text("ReportDays"), "ReportDays", 7, 1, 60),
            RunBudget = TimeSpan.FromSeconds(Number(Text("RunBudgetSeconds"), "RunBudgetSeconds", 480, 0, 3600)),
            TimeZone = Zone(Text("TimeZone") ?? DefaultTimeZone),
            Currency = Text("Currency") is { } currency
                ? currency.Length == 3 && currency.All(char.IsAsciiLetter) ? currency.ToLowerInvariant() : throw new InvalidOperationException($"The setting QuickBooks:Currency must be a three-letter ISO 4217 code (it is '{currency}').")
                : "aud",
            TaxCodeId = Text("TaxCodeId"),
            MaxRetries = Number(Text("MaxRetries"), "MaxRetries", 3, 0, 10),
            RetryDelay = TimeSpan.FromMilliseconds(Number(Text("RetryDelayMilliseconds"), "RetryDelayMilliseconds", 500, 0, 60_000)),
            Missing = missing.Count == 0 ? string.Empty : $"QuickBooks is not configured: the setting{(missing.Count > 1 ? "s" : string.Empty)} {string.Join(", ", missing)} {(missing.Count > 1 ? "are" : "is")} missing.",
        };
    }

    private static TimeZoneInfo Zone(string id)
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (TimeZoneNotFoundException)
        {
            throw new InvalidOperationException($"The setting QuickBooks:TimeZone must be an IANA time zone, e.g. {DefaultTimeZone} (it is '{id}').");
        }
    }

    /// <summary>The UTC instant a day of the company's time zone starts.</summary>
    public DateTimeOffset StartOf(DateOnly day)
    {
        var local = day.ToDateTime(TimeOnly.MinValue);
        return new DateTimeOffset(local, TimeZone.GetUtcOffset(local));
    }

    /// <summary>The company's date of an instant.</summary>
    public DateOnly DayOf(DateTimeOffset instant) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, TimeZone).DateTime);

    private static Uri Url(string name, string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? uri
            : throw new InvalidOperationException($"The setting QuickBooks:{name} must be an absolute http(s) URL (it is '{value}').");

    private static int Number(string? text, string name, int fallback, int min, int max) => text switch
    {
        null => fallback,
        _ when int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value >= min && value <= max => value,
        _ => throw new InvalidOperationException($"The setting QuickBooks:{name} must be a whole number from {min} to {max} (it is '{text}')."),
    };
}
