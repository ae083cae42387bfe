using Microsoft.Extensions.Options;
using Rtgf.Functions.Log;
using Rtgf.Functions.Verification;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Keys;
using Rtgf.Pipeline.Revocation;
using Rtgf.Transparency.Storage;

namespace Rtgf.Functions.Composition;

/// <summary>
/// What the HTTP APIs add on top of the platform: the log reader, the verifier over the published JWKS and the status-list
/// cache. The storage behind them (ITokenRegistry, IRevocationReader, IRevocationService, IPublicationFreeze,
/// IKeySetReader, ISyncStatusReader) is registered by the pipeline's composition. Factories resolve it on first use, so
/// areas that need no storage answer where none is configured.
/// </summary>
internal static class ApiServices
{
    public static IHostApplicationBuilder AddRtgfApis(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddSingleton(sp => new TransparencyLog(
            sp.GetRequiredService<ILogObjectStore>(), sp.GetRequiredService<IIssuerSigner>(), sp.GetRequiredService<IOptions<IssuerOptions>>()));
        services.AddSingleton(sp => new KeySetVerifiers(sp.GetRequiredService<IKeySetReader>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new StatusLists(
            sp.GetRequiredService<IRevocationReader>(), sp.GetRequiredService<TimeProvider>(), sp.GetService<System.Diagnostics.Metrics.IMeterFactory>()));
        services.AddSingleton(sp => new TokenVerification(
            sp.GetRequiredService<KeySetVerifiers>(),
            sp.GetRequiredService<StatusLists>(),
            sp.GetRequiredService<IRevocationReader>(),
            sp.GetRequiredService<TransparencyLog>(),
            sp.GetRequiredService<TimeProvider>()));
        return builder;
    }
}
