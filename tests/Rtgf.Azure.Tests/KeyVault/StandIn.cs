using Azure.Core;
using Azure.Core.Pipeline;
using Rtgf.Azure.KeyVault;
using Rtgf.KeyVaultStandIn;
using Rtgf.Testing;

namespace Rtgf.Azure.Tests.KeyVault;

/// <summary>Helpers for tests against a real <see cref="KeyVaultStandInServer"/>: clients that trust exactly its certificate.</summary>
internal static class StandIn
{
    public static readonly DateTimeOffset Start = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static Task<KeyVaultStandInServer> StartAsync(ManualTimeProvider? clock = null, int maxPageSize = 25, string? expectedToken = null) =>
        KeyVaultStandInServer.StartAsync(new KeyVaultStandInOptions
        {
            TimeProvider = clock ?? new ManualTimeProvider(Start),
            MaxPageSize = maxPageSize,
            ExpectedToken = expectedToken,
        });

    public static T Options<T>(KeyVaultStandInServer server, T options)
        where T : KeyVaultClientOptions
    {
        options.Transport = new HttpClientTransport(server.CreateHttpMessageHandler());
        options.DisableChallengeResourceVerification = true;
        options.Retry.Delay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(50);
        options.Retry.MaxRetries = 2;
        return options;
    }

    public static KeyClient Keys(KeyVaultStandInServer server, TokenCredential? credential = null, KeyClientOptions? options = null) =>
        new(server.VaultUri, credential ?? new RecordingCredential(), Options(server, options ?? new KeyClientOptions()));

    public static HttpClient RawClient(KeyVaultStandInServer server) => new(server.CreateHttpMessageHandler()) { BaseAddress = server.VaultUri };
}
