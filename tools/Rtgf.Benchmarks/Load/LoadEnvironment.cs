using System.Security.Cryptography;
using Rtgf.Benchmarks.Hosting;
using Rtgf.Benchmarks.Startup;
using Rtgf.Core.Signing;
using Rtgf.Pipeline.Configuration;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// What the load benchmarks start from: the repository, Azurite, an issuer key (a PKCS#8 PEM at <see cref="KeyPath"/> for
/// the app's Signing:DevelopmentKeyPath, the same key in process for the publisher), the issuer options, and a fetch time
/// of yesterday midnight UTC (tokens valid 365 days), so the app's wall clock finds what is published current.
/// </summary>
internal sealed class LoadEnvironment : IAsyncDisposable
{
    private LoadEnvironment(string root, AzuriteServer azurite, string keyPath, LocalDevelopmentSigner issuerKey, DateTimeOffset now)
    {
        Root = root;
        Azurite = azurite;
        KeyPath = keyPath;
        IssuerKey = issuerKey;
        Now = now;
        FetchedAt = new DateTimeOffset(now.Year, now.Month, now.Day, 0, 0, 0, TimeSpan.Zero).AddDays(-1);
    }

    public string Root { get; }

    public AzuriteServer Azurite { get; }

    public string KeyPath { get; }

    public LocalDevelopmentSigner IssuerKey { get; }

    public IssuerOptions Options { get; } = new() { Issuer = "https://rtgf.bench", PublicBaseUrl = "http://localhost:7071", LogOrigin = "rtgf.bench/log" };

    public DateTimeOffset Now { get; }

    public DateTimeOffset FetchedAt { get; }

    /// <summary>Starts Azurite and writes the issuer key under <paramref name="work"/> (a directory only this user reads); fails before that when the app is not built.</summary>
    public static async Task<LoadEnvironment> StartAsync(string work)
    {
        var root = RepositoryLayout.FindRoot();
        _ = BenchWorker.AppDirectory(root); // fails before publishing when the app is not built
        var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(root));
        try
        {
            using var ecdsa = ECDsa.Create(ECCurve.NamedCurves.nistP256);
            var keyPath = Path.Combine(work, "issuer-key.pem");
            await File.WriteAllTextAsync(keyPath, ecdsa.ExportPkcs8PrivateKeyPem());
#pragma warning disable CA2000 // owned by the environment, disposed with it
            return new LoadEnvironment(root, azurite, keyPath, LocalDevelopmentSigner.Import(ecdsa.ExportParameters(includePrivateParameters: true)), BenchClock.System.GetUtcNow());
#pragma warning restore CA2000
        }
        catch
        {
            await azurite.DisposeAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        IssuerKey.Dispose();
        await Azurite.DisposeAsync();
    }
}
