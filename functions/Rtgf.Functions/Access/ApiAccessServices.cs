using System.Globalization;
using Azure.Data.Tables;
using Microsoft.Azure.Functions.Worker.Builder;
using Rtgf.Azure.Access;
using Rtgf.Pipeline.Access;

namespace Rtgf.Functions.Access;

/// <summary>
/// The API access services (docs/spec/api-keys.md): the key, usage and block stores on the app's table service, the plans,
/// the abuse list and the gate, each read from the settings when first used, and the worker middleware.
/// </summary>
/// <summary>The hash key from <see cref="ApiKeyHasher.Setting"/>, or why there is none (the gate and /ops/api-keys answer 503 then).</summary>
public sealed record ApiKeyHashing(ApiKeyHasher? Hasher, string Problem)
{
    public static ApiKeyHashing FromSettings(IConfiguration settings)
    {
        var hasher = ApiKeyHasher.FromSetting(settings[ApiKeyHasher.Setting], out var problem);
        return new ApiKeyHashing(hasher, problem);
    }
}

internal static partial class ApiAccessServices
{
    public const string SectionName = "ApiAccess";

    public static FunctionsApplicationBuilder AddApiAccess(this FunctionsApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => new AccessTables(() => sp.GetRequiredService<TableServiceClient>(), Setting(sp, "TablePrefix") ?? string.Empty));
        services.AddSingleton<IApiKeyStore, TableApiKeyStore>();
        services.AddSingleton<IUsageCounterStore, TableUsageCounterStore>();
        services.AddSingleton<IAbuseBlockStore, TableAbuseBlockStore>();
        services.AddSingleton(sp => new AccessCleanup(sp.GetRequiredService<AccessTables>(), sp.GetRequiredService<TimeProvider>(), new AccessCleanupOptions
        {
            MinuteRowsFor = TimeSpan.FromHours(Number(sp, "Cleanup:MinuteRowsHours", 2)),
            MonthRowsFor = (int)Number(sp, "Cleanup:MonthRowsMonths", 3),
            RowsPerPass = (int)Number(sp, "Cleanup:RowsPerPass", 5000),
            RunBudget = TimeSpan.FromSeconds(Number(sp, "Cleanup:RunBudgetSeconds", 240)),
        }));
        services.AddSingleton(sp => ApiPlans.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp =>
        {
            var abuse = new AbuseList(sp.GetRequiredService<IAbuseBlockStore>(), sp.GetRequiredService<TimeProvider>(), new AbuseRules(
                (int)Number(sp, "Abuse:UnauthorizedPerMinute", AbuseRules.Default.UnauthorizedPerMinute),
                (int)Number(sp, "Abuse:NotFoundPerMinute", AbuseRules.Default.NotFoundPerMinute),
                TimeSpan.FromMinutes(Number(sp, "Abuse:BlockMinutes", 15)),
                TimeSpan.FromSeconds(Number(sp, "Abuse:RefreshSeconds", 10))));
            var logger = sp.GetRequiredService<ILogger<AbuseList>>();
            abuse.RefreshFailed += e => LogBlocksUnreadable(logger, e);
            abuse.BlockFailed += (block, e) => LogBlockUnwritten(logger, e, block.Address);
            return abuse;
        });
        services.AddSingleton(sp => ApiKeyHashing.FromSettings(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp =>
        {
            var hashing = sp.GetRequiredService<ApiKeyHashing>();
            var gate = new ApiAccessGate(
                sp.GetRequiredService<IApiKeyStore>(),
                hashing.Hasher,
                hashing.Problem,
                sp.GetRequiredService<ApiPlans>(),
                sp.GetRequiredService<IUsageCounterStore>(),
                sp.GetRequiredService<AbuseList>(),
                sp.GetRequiredService<TimeProvider>(),
                new ApiAccessOptions
                {
                    KeyCacheFor = TimeSpan.FromSeconds(Number(sp, "KeyCacheSeconds", 5)),
                    AnonymousRequestsPerMinute = (int)Number(sp, "AnonymousRequestsPerMinute", 60),
                    LastUsedEvery = TimeSpan.FromMinutes(Number(sp, "LastUsedMinutes", 5)),
                    UnknownKeyReadsPerMinute = (int)Number(sp, "UnknownKeyReadsPerMinute", 6000),
                });
            var logger = sp.GetRequiredService<ILogger<ApiAccessGate>>();
            gate.TouchFailed += (id, e) => LogTouchFailed(logger, e, id);
            gate.CountFailed += e => LogCountFailed(logger, e);
            return gate;
        });
        builder.UseMiddleware<ApiAccessMiddleware>();
        return builder;
    }

    private static string? Setting(IServiceProvider services, string name) => services.GetRequiredService<IConfiguration>()[SectionName + ":" + name];

    private static long Number(IServiceProvider services, string name, long fallback) => Setting(services, name) switch
    {
        null => fallback,
        var text when long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value) && value > 0 && value <= int.MaxValue => value,
        var text => throw new InvalidOperationException($"The setting {SectionName}:{name} must be a positive whole number (it is '{text}')."),
    };

    [LoggerMessage(EventId = 1, Level = LogLevel.Warning, Message = "The abuse list could not be read; the last list read stays in force")]
    private static partial void LogBlocksUnreadable(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 4, Level = LogLevel.Warning, Message = "The block of address {Address} could not be written to the shared table; it is in force on this instance only")]
    private static partial void LogBlockUnwritten(ILogger logger, Exception exception, string address);

    [LoggerMessage(EventId = 2, Level = LogLevel.Warning, Message = "The last use of API key {KeyId} could not be recorded")]
    private static partial void LogTouchFailed(ILogger logger, Exception exception, string keyId);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "The shared request counters could not be written; the counts go with the next write")]
    private static partial void LogCountFailed(ILogger logger, Exception exception);
}
