using System.Text.Json.Nodes;

namespace Rtgf.KeyVaultStandIn;

/// <summary>A key name: its versions in creation order (the last is "latest") and its rotation policy.</summary>
internal sealed class StoredKey(string name)
{
    public string Name { get; } = name;

    public List<StoredKeyVersion> Versions { get; } = [];

    public JsonObject? RotationPolicy { get; set; }

    public StoredKeyVersion Latest => Versions[^1];

    public StoredKeyVersion? Find(string version) =>
        Versions.Find(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase));
}
