using System.Text.Json.Nodes;

namespace Rtgf.Infra.Tests;

/// <summary>
/// infra/main.bicep compiled once to ARM JSON (<c>bicep build</c>), and evaluated with concrete parameters into the
/// resources a deployment would create (<c>bicep snapshot</c>: the compiled template with every value known before
/// deployment resolved; values known only at deployment stay ARM expressions, which name the output they read).
/// Two deployments: the defaults (one region, no secrets wired) and a full one (second region, every secret).
/// </summary>
public sealed class InfraFixture : IDisposable
{
    public const string Subscription = "00000000-0000-0000-0000-000000000001";
    public const string Tenant = "00000000-0000-0000-0000-000000000002";
    public const string Location = "australiaeast";
    public const string SecondaryLocation = "australiasoutheast";
    public const string SigningKeyId = "https://kv-ci.vault.azure.net/keys/rtgf-issuer/0123456789abcdef0123456789abcdef";

    private readonly string _directory = Path.Combine(BicepCli.RepoRoot, "artifacts", "infra-tests", "snapshots-" + Environment.ProcessId);

    public InfraFixture()
    {
        Directory.CreateDirectory(_directory);
        var armPath = Path.Combine(_directory, "main.json");
        var (exitCode, output) = BicepCli.Run("build", Path.Combine(BicepCli.InfraDirectory, "main.bicep"), "--outfile", armPath);
        if (exitCode != 0)
        {
            throw new InvalidOperationException("bicep build infra/main.bicep failed:\n" + output);
        }

        ArmText = File.ReadAllText(armPath);
        Arm = JsonNode.Parse(ArmText)!.AsObject();
        Defaults = Snapshot("defaults", "param environmentName = 'ci'\nparam location = '" + Location + "'\n");
        var secrets = string.Join(", ", SecretNames().Select(name => "'" + name + "'"));
        Full = Snapshot(
            "full",
            "param environmentName = 'ci'\nparam location = '" + Location + "'\nparam secondaryLocation = '" + SecondaryLocation + "'\n" +
            "param signingKeyId = '" + SigningKeyId + "'\nparam secretNames = [" + secrets + "]\n");
    }

    /// <summary>The compiled template, as text and parsed.</summary>
    public string ArmText { get; }

    public JsonObject Arm { get; }

    /// <summary>The predicted resources with the default parameters.</summary>
    public Deployment Defaults { get; }

    /// <summary>The predicted resources with a second region, a signing key and every secret wired.</summary>
    public Deployment Full { get; }

    /// <summary>The Key Vault secret names main.bicep knows (its <c>secretSettings</c> variable).</summary>
    public IReadOnlyList<string> SecretNames() => [.. Arm["variables"]!["secretSettings"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal)];

    /// <summary>The predicted resources with the default parameters plus <paramref name="parameters"/> (bicepparam lines).</summary>
    public Deployment With(string name, string parameters) =>
        Snapshot(name, "param environmentName = 'ci'\nparam location = '" + Location + "'\n" + parameters);

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private Deployment Snapshot(string name, string parameters)
    {
        var file = Path.Combine(_directory, name + ".bicepparam");
        var main = Path.GetRelativePath(_directory, Path.Combine(BicepCli.InfraDirectory, "main.bicep")).Replace('\\', '/');
        File.WriteAllText(file, "using '" + main + "'\n" + parameters);
        var (exitCode, output) = BicepCli.Run(
            "snapshot", file, "--mode", "overwrite", "--subscription-id", Subscription, "--tenant-id", Tenant, "--location", Location);
        var snapshot = Path.Combine(_directory, name + ".snapshot.json");
        if (exitCode != 0 || !File.Exists(snapshot))
        {
            throw new InvalidOperationException($"bicep snapshot ({name}) failed:\n{output}");
        }

        var document = JsonNode.Parse(File.ReadAllText(snapshot))!.AsObject();
        var diagnostics = document["diagnostics"]?.AsArray() ?? [];
        if (diagnostics.Count > 0)
        {
            throw new InvalidOperationException($"bicep snapshot ({name}) reported: {diagnostics.ToJsonString()}");
        }

        return new Deployment([.. document["predictedResources"]!.AsArray().Select(r => r!.AsObject())]);
    }
}

/// <summary>The resources one deployment would create.</summary>
public sealed class Deployment(IReadOnlyList<JsonObject> resources)
{
    public IReadOnlyList<JsonObject> Resources { get; } = resources;

    public IReadOnlyList<JsonObject> OfType(string type) =>
        [.. Resources.Where(r => string.Equals((string?)r["type"], type, StringComparison.OrdinalIgnoreCase))];

    public JsonObject Named(string type, string nameEndsWith) =>
        Assert.Single(OfType(type), r => ((string)r["name"]!).EndsWith(nameEndsWith, StringComparison.Ordinal));

    public IReadOnlyList<JsonObject> Sites => OfType("Microsoft.Web/sites");

    /// <summary>The primary app (the first region's; its host storage is the data account).</summary>
    public JsonObject PrimarySite => Assert.Single(Sites, s => (string?)s["location"] == InfraFixture.Location);

    public static IReadOnlyDictionary<string, string> AppSettings(JsonObject site) =>
        site["properties"]!["siteConfig"]!["appSettings"]!.AsArray()
            .ToDictionary(s => (string)s!["name"]!, s => (string)s!["value"]!, StringComparer.Ordinal);
}

[CollectionDefinition(Name)]
public sealed class InfraCollection : ICollectionFixture<InfraFixture>
{
    public const string Name = "infra";
}
