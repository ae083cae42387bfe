using System.Globalization;
using System.Text;
using Rtgf.Core.Signing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;

namespace Rtgf.Cli.Tests.Log;

/// <summary>A real log written by the integrator (two batches), exported to a directory with the tlog-tiles paths.</summary>
public sealed class LogFixture : IAsyncLifetime
{
    public const string Origin = "rtgf.test/cli-log";

    public string Directory { get; } = System.IO.Directory.CreateTempSubdirectory("rtgf-cli-log-").FullName;

    public InMemoryLogObjectStore Store { get; } = new();

    public IReadOnlyList<ReadOnlyMemory<byte>> Entries { get; } = [.. Enumerable.Range(0, 700).Select(Entry)];

    public IntegrationResult First { get; private set; } = null!;

    public IntegrationResult Second { get; private set; } = null!;

    public string VerifierKey { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        using var signer = LocalDevelopmentSigner.Create();
        var integrator = new LogIntegrator(Store, Origin, signer);
        First = await integrator.IntegrateAsync([.. Entries.Take(300)]);
        Second = await integrator.IntegrateAsync([.. Entries.Skip(300)]);
        VerifierKey = integrator.VerifierKey.ToString();
        foreach (var path in Store.Paths)
        {
            var file = Path.Combine(Directory, path);
            System.IO.Directory.CreateDirectory(Path.GetDirectoryName(file)!);
            await File.WriteAllBytesAsync(file, (await Store.GetAsync(path))!.Content.ToArray());
        }
    }

    public static ReadOnlyMemory<byte> Entry(int n) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"snapshot\",\"n\":{n}}}"));

    public Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }
}
