using Azure;
using Rtgf.Azure.KeyVault;
using Rtgf.KeyVaultStandIn;
using Rtgf.Testing;

namespace Rtgf.Azure.Tests.KeyVault;

public sealed class KeyClientTests
{
    [Fact]
    public async Task CreateEcKey_HardwareProtected_ReturnsP256KeyWithAttributesAndTags()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var options = new CreateEcKeyOptions("issuer", hardwareProtected: true) { ExpiresOn = new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero) };
        options.Tags["purpose"] = "tokens";

        var key = (await keys.CreateEcKeyAsync(options)).Value;

        Assert.Equal("issuer", key.Name);
        Assert.Matches("^[0-9a-f]{32}$", key.Version);
        Assert.Equal(new Uri(server.VaultUri, "keys/issuer/" + key.Version), key.Id);
        Assert.Equal(KeyType.EcHsm, key.KeyType);
        Assert.Equal(KeyCurveName.P256, key.Key.CurveName);
        Assert.Equal([KeyOperation.Sign, KeyOperation.Verify], key.Key.KeyOps);
        Assert.Equal(32, key.Key.ToEcPublicKey().X.Length);
        Assert.Equal(StandIn.Start, key.Properties.CreatedOn);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), key.Properties.ExpiresOn);
        Assert.True(key.Properties.Enabled);
        Assert.Equal("Recoverable+Purgeable", key.Properties.RecoveryLevel);
        Assert.Equal("tokens", key.Properties.Tags["purpose"]);
    }

    [Fact]
    public async Task GetKey_WithoutAndWithVersion_ReturnsLatestAndTheNamedVersion()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var first = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;
        var second = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;

        var latest = (await keys.GetKeyAsync("issuer")).Value;
        var named = (await keys.GetKeyAsync("issuer", first.Version)).Value;

        Assert.Equal(second.Id, latest.Id);
        Assert.Equal(second.Key.ToEcPublicKey(), latest.Key.ToEcPublicKey());
        Assert.Equal(first.Id, named.Id);
        Assert.Equal(first.Key.ToEcPublicKey(), named.Key.ToEcPublicKey());
        Assert.NotEqual(first.Key.ToEcPublicKey(), second.Key.ToEcPublicKey());
    }

    [Fact]
    public async Task GetPropertiesOfKeyVersions_MoreVersionsThanAPage_FollowsNextLink()
    {
        await using var server = await StandIn.StartAsync(maxPageSize: 2);
        var keys = StandIn.Keys(server);
        var created = new List<Uri>();
        for (var i = 0; i < 5; i++)
        {
            created.Add((await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value.Id);
        }

        var listed = new List<Uri>();
        await foreach (var properties in keys.GetPropertiesOfKeyVersionsAsync("issuer"))
        {
            Assert.Equal("issuer", properties.Name);
            listed.Add(properties.Id);
        }

        Assert.Equal(created, listed);
        Assert.Equal(3, server.CallCount(KeyVaultOperation.GetKeyVersions));
    }

    [Fact]
    public async Task RotateKey_CreatesANewVersion_AndTheOldVersionStillSignsAndVerifies()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        var original = (await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"))).Value;
        var digest = System.Security.Cryptography.SHA256.HashData("old"u8);
        var oldSignature = (await keys.GetCryptographyClient("issuer", original.Version!).SignAsync(SignatureAlgorithm.ES256, digest)).Signature;

        var rotated = (await keys.RotateKeyAsync("issuer")).Value;

        Assert.NotEqual(original.Version, rotated.Version);
        Assert.Equal(rotated.Id, (await keys.GetKeyAsync("issuer")).Value.Id);
        Assert.Equal(original.KeyType, rotated.KeyType);
        Assert.NotEqual(original.Key.ToEcPublicKey(), rotated.Key.ToEcPublicKey());
        using var oldVerifier = (await keys.GetKeyAsync("issuer", original.Version)).Value.Key.ToEcPublicKey().CreateEcdsa();
        Assert.True(oldVerifier.VerifyHash(digest, oldSignature));
        Assert.True((await keys.GetCryptographyClient("issuer", original.Version!).VerifyAsync(SignatureAlgorithm.ES256, digest, oldSignature)).IsValid);
        Assert.False((await keys.GetCryptographyClient("issuer", rotated.Version!).VerifyAsync(SignatureAlgorithm.ES256, digest, oldSignature)).IsValid);
    }

    [Fact]
    public async Task UpdateKeyRotationPolicy_ThenGet_RoundTripsActionsAndExpiry()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"));
        var defaults = (await keys.GetKeyRotationPolicyAsync("issuer")).Value;

        await keys.UpdateKeyRotationPolicyAsync("issuer", new KeyRotationPolicy
        {
            ExpiresIn = "P2Y",
            LifetimeActions =
            [
                new KeyRotationLifetimeAction("Rotate") { TimeAfterCreate = "P90D" },
                new KeyRotationLifetimeAction("Notify") { TimeBeforeExpiry = "P30D" },
            ],
        });
        var policy = (await keys.GetKeyRotationPolicyAsync("issuer")).Value;

        Assert.Equal("Notify", Assert.Single(defaults.LifetimeActions).Action);
        Assert.Equal("P2Y", policy.ExpiresIn);
        Assert.Equal(new Uri(server.VaultUri, "keys/issuer/rotationpolicy").AbsoluteUri, policy.Id);
        Assert.Collection(
            policy.LifetimeActions,
            a => Assert.Equal(("Rotate", "P90D", (string?)null), (a.Action, a.TimeAfterCreate, a.TimeBeforeExpiry)),
            a => Assert.Equal(("Notify", (string?)null, "P30D"), (a.Action, a.TimeAfterCreate, a.TimeBeforeExpiry)));
        Assert.Equal(StandIn.Start, policy.UpdatedOn);
    }

    [Fact]
    public async Task UpdateKeyRotationPolicy_ExpiryUnder28Days_ThrowsBadParameter()
    {
        await using var server = await StandIn.StartAsync();
        var keys = StandIn.Keys(server);
        await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"));

        var error = await Assert.ThrowsAsync<RequestFailedException>(() =>
            keys.UpdateKeyRotationPolicyAsync("issuer", new KeyRotationPolicy { ExpiresIn = "P7D" }));

        Assert.Equal((400, "BadParameter"), (error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task GetKey_Missing_ThrowsKeyNotFound()
    {
        await using var server = await StandIn.StartAsync();

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => StandIn.Keys(server).GetKeyAsync("nope"));

        Assert.Equal((404, "KeyNotFound"), (error.Status, error.ErrorCode));
        Assert.Contains("nope", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task CreateEcKey_WithoutTheRole_ThrowsForbiddenWithInnerError()
    {
        await using var server = await StandIn.StartAsync();
        server.Forbid(KeyVaultOperation.CreateKey);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => StandIn.Keys(server).CreateEcKeyAsync(new CreateEcKeyOptions("issuer")));

        Assert.Equal((403, "Forbidden"), (error.Status, error.ErrorCode));
        Assert.Equal("ForbiddenByRbac", error.Data["innererror"]);
    }

    [Fact]
    public async Task Throttled_BeyondTheRetries_ThrowsThrottled()
    {
        await using var server = await StandIn.StartAsync();
        var options = StandIn.Options(server, new KeyClientOptions());
        options.Retry.MaxRetries = 0;
        var keys = new KeyClient(server.VaultUri, new RecordingCredential(), options);
        await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"));
        server.SetThrottle(1);
        await keys.GetKeyAsync("issuer");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => keys.GetKeyAsync("issuer"));

        Assert.Equal((429, "Throttled"), (error.Status, error.ErrorCode));
        Assert.Equal(1, server.ThrottledCount);
    }

    [Fact]
    public async Task ApiVersion_IsSentOnEveryCall_AndTheServerChecksIt()
    {
        await using var server = await KeyVaultStandInServer.StartAsync(new KeyVaultStandInOptions
        {
            TimeProvider = new ManualTimeProvider(StandIn.Start),
            ApiVersions = new HashSet<string>(StringComparer.Ordinal) { "2025-07-01" },
        });

        var pinned = StandIn.Keys(server, options: new KeyClientOptions(KeyVaultServiceVersion.V2025_07_01));
        var other = StandIn.Keys(server, options: new KeyClientOptions(KeyVaultServiceVersion.V7_5));

        await pinned.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"));
        var error = await Assert.ThrowsAsync<RequestFailedException>(() => other.GetKeyAsync("issuer"));
        Assert.Equal((400, "BadParameter"), (error.Status, error.ErrorCode));
    }

    [Fact]
    public async Task Challenge_FirstCall_GetsATokenForTheVaultScopeAndTenant_ThenReusesIt()
    {
        await using var server = await StandIn.StartAsync(expectedToken: "vault-token");
        var credential = new RecordingCredential("vault-token");
        var keys = StandIn.Keys(server, credential);

        await keys.CreateEcKeyAsync(new CreateEcKeyOptions("issuer"));
        await keys.GetKeyAsync("issuer");
        await keys.RotateKeyAsync("issuer");

        var request = Assert.Single(credential.Requests.DistinctBy(r => (string.Join(' ', r.Scopes), r.TenantId)));
        Assert.Equal(["https://vault.azure.net/.default"], request.Scopes);
        Assert.Equal("72f988bf-86f1-41af-91ab-2d7cd011db47", request.TenantId);
        Assert.Equal(1, server.ChallengeCount);
        Assert.Equal(1, server.CallCount(KeyVaultOperation.CreateKey));
    }

    [Fact]
    public async Task Challenge_ResourceNotAParentOfTheVaultHost_IsRefusedWithoutRequestingAToken()
    {
        await using var server = await StandIn.StartAsync();
        var credential = new RecordingCredential();
        var options = StandIn.Options(server, new KeyClientOptions());
        options.DisableChallengeResourceVerification = false;
        var keys = new KeyClient(server.VaultUri, credential, options);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => keys.GetKeyAsync("issuer"));

        Assert.Contains("vault.azure.net", error.Message, StringComparison.Ordinal);
        Assert.Empty(credential.Requests);
    }

    [Fact]
    public async Task Challenge_TokenRejected_ThrowsUnauthorized()
    {
        await using var server = await StandIn.StartAsync(expectedToken: "vault-token");

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => StandIn.Keys(server, new RecordingCredential("stale")).GetKeyAsync("issuer"));

        Assert.Equal((401, "Unauthorized"), (error.Status, error.ErrorCode));
    }

    [Theory]
    [InlineData("")]
    [InlineData("has_underscore")]
    [InlineData("has/slash")]
    [InlineData("issuer.key")]
    public async Task GetKey_InvalidName_ThrowsBeforeSending(string name)
    {
        await using var server = await StandIn.StartAsync();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => StandIn.Keys(server).GetKeyAsync(name));

        Assert.Contains("0-9, a-z, A-Z and '-'", error.Message, StringComparison.Ordinal);
        Assert.Equal(0, server.ChallengeCount);
    }

    [Fact]
    public void CreateEcKeyOptions_NameLongerThan127_Throws() =>
        Assert.Throws<ArgumentException>(() => new CreateEcKeyOptions(new string('a', 128)));

    [Fact]
    public void Constructor_PlainHttpVault_IsRefused()
    {
        var error = Assert.Throws<ArgumentException>(() => new KeyClient(new Uri("http://127.0.0.1:1234/"), new RecordingCredential()));

        Assert.Contains("https", error.Message, StringComparison.Ordinal);
    }
}
