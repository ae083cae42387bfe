using Azure.Data.Tables;
using Rtgf.Azure.Waitlist;

namespace Rtgf.Functions.Waitlist;

/// <summary>
/// The prelaunch waitlist (docs/spec/waitlist.md): its settings, the <c>leads</c> table (with the access tables' prefix),
/// the shared sign-up limits and the sign-ups. Each is built when first used, so an app without the link key starts and
/// sign-ups answer 503 naming the setting.
/// </summary>
internal static class WaitlistServices
{
    public static IHostApplicationBuilder AddWaitlist(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => WaitlistSettings.FromConfiguration(sp.GetRequiredService<IConfiguration>()));
        services.AddSingleton(sp => new TableLeadStore(
            () => sp.GetRequiredService<TableServiceClient>(), sp.GetRequiredService<IConfiguration>()["ApiAccess:TablePrefix"] ?? string.Empty));
        services.AddSingleton<WaitlistLimits>();
        services.AddSingleton<WaitlistSignups>();
        return builder;
    }
}
