using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Rtgf.Core.Encryption;
using Rtgf.Functions.Composition;
using Rtgf.Functions.Functions;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Archives;

/// <summary>
/// The archive timers as the host sees them, and the archive key from configuration: the development key only in
/// Development and never on Azure, a Key Vault key otherwise, and a clear error when neither is set.
/// </summary>
public sealed class ArchiveCompositionTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-archive-key-").FullName;

    [Theory]
    [InlineData("session-archiver", "%SESSION_ARCHIVE_SCHEDULE%")]
    [InlineData("archive-purge", "%ARCHIVE_PURGE_SCHEDULE%")]
    public void Function_IsATimerOnItsScheduleSetting(string name, string schedule)
    {
        var function = FunctionIndex.ForApp()[name];

        Assert.Equal("timer", function.Trigger);
        Assert.Equal(schedule, function.Schedule);
        Assert.Empty(function.Outputs);
    }

    [Theory]
    [InlineData("Production", null)]
    [InlineData("Development", "Production")]
    public async Task DevelopmentKey_OutsideDevelopment_IsRefused(string hostEnvironment, string? functionsEnvironment)
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Create(hostEnvironment, ("AZURE_FUNCTIONS_ENVIRONMENT", functionsEnvironment)));

        Assert.Contains("Archive:DevelopmentKeyPath is for local development only", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentKey_OnAzure_IsRefusedEvenInDevelopment()
    {
        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => Create(Environments.Development, ("WEBSITE_INSTANCE_ID", "0123abcd")));

        Assert.Contains("refused on Azure", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task DevelopmentKey_InDevelopment_SealsAndOpens()
    {
        var wrapper = await Create(Environments.Development);

        var archive = await ArchiveEnvelope.SealAsync("x"u8.ToArray(), new Dictionary<string, string>(), wrapper);

        Assert.IsType<LocalDevelopmentKeyWrapper>(wrapper);
        Assert.Equal("x"u8.ToArray(), (await ArchiveEnvelope.OpenAsync(archive, wrapper)).Plaintext);
    }

    [Fact]
    public async Task NoKey_OrABadKeyUri_IsAClearError()
    {
        var none = new ConfigurationBuilder().AddInMemoryCollection([]).Build();
        var bad = new ConfigurationBuilder().AddInMemoryCollection([new("Archive:KeyVaultKeyId", "not a uri")]).Build();
        var host = new HostingEnvironment { EnvironmentName = Environments.Production };

        var missing = await Assert.ThrowsAsync<InvalidOperationException>(() => ConfiguredDataKeyWrapper.CreateAsync(none, host, new ManualTimeProvider(default)));
        var malformed = await Assert.ThrowsAsync<InvalidOperationException>(() => ConfiguredDataKeyWrapper.CreateAsync(bad, host, new ManualTimeProvider(default)));

        Assert.Contains("No archive key is configured", missing.Message, StringComparison.Ordinal);
        Assert.Contains("is not an absolute key URI", malformed.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void KeyVaultKey_IsReachedWithTheUserAssignedIdentity_WhenAzureClientIdIsSet()
    {
        // infra/ gives the app only a user-assigned identity, named by AZURE_CLIENT_ID; the system-assigned one does not exist there.
        var configuration = new ConfigurationBuilder().AddInMemoryCollection([
            new("Archive:KeyVaultKeyId", "https://rtgf-kv.vault.azure.net/keys/archive"),
            new("AZURE_CLIENT_ID", "11111111-2222-3333-4444-555555555555"),
        ]).Build();

        var identity = ConfiguredDataKeyWrapper.Identity(configuration);

        Assert.True(identity.IsUserAssigned);
        Assert.Equal("11111111-2222-3333-4444-555555555555", identity.ClientId);
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Task<IDataKeyWrapper> Create(string hostEnvironment, params (string Name, string? Value)[] settings)
    {
        var path = Path.Combine(_directory, "archive.key");
        File.WriteAllText(path, Convert.ToBase64String(new byte[32]));
        var values = settings.Where(s => s.Value is not null).ToDictionary(s => s.Name, s => s.Value, StringComparer.Ordinal);
        values["Archive:DevelopmentKeyPath"] = path;
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(values).Build();
        return ConfiguredDataKeyWrapper.CreateAsync(configuration, new HostingEnvironment { EnvironmentName = hostEnvironment }, new ManualTimeProvider(default));
    }
}
