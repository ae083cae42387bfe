using System.Buffers.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Rtgf.Azure.KeyVault.Internal;

/// <summary>Reads and writes the Key Vault JSON shapes (KeyBundle, KeyItem list, rotation policy); times are unix seconds.</summary>
internal static class KeyVaultJson
{
    public static BinaryData CreateKeyBody(CreateEcKeyOptions options) =>
        CreateKeyBody(options.KeyType, ("crv", options.CurveName.Value), options.KeyOperations, options.Enabled, options.NotBefore, options.ExpiresOn, options.Tags);

    public static BinaryData CreateKeyBody(CreateRsaKeyOptions options) =>
        CreateKeyBody(options.KeyType, options.KeySize is { } size ? ("key_size", size) : null, options.KeyOperations, options.Enabled, options.NotBefore, options.ExpiresOn, options.Tags);

    // One body for every key type: kty, the type's own member (crv or key_size), operations, attributes, tags.
    private static BinaryData CreateKeyBody(
        KeyType keyType,
        (string Name, JsonNode Value)? typeMember,
        IList<KeyOperation> operations,
        bool? enabled,
        DateTimeOffset? notBefore,
        DateTimeOffset? expiresOn,
        IDictionary<string, string> tags)
    {
        var attributes = new JsonObject();
        if (enabled is { } isEnabled)
        {
            attributes["enabled"] = isEnabled;
        }

        if (notBefore is { } nbf)
        {
            attributes["nbf"] = nbf.ToUnixTimeSeconds();
        }

        if (expiresOn is { } exp)
        {
            attributes["exp"] = exp.ToUnixTimeSeconds();
        }

        var body = new JsonObject { ["kty"] = keyType.Value };
        if (typeMember is { } member)
        {
            body[member.Name] = member.Value;
        }

        body["key_ops"] = new JsonArray([.. operations.Select(o => (JsonNode?)JsonValue.Create(o.Value))]);
        body["attributes"] = attributes;
        if (tags.Count > 0)
        {
            body["tags"] = Tags(tags);
        }

        return BinaryData.FromString(body.ToJsonString());
    }

    public static KeyVaultKey ReadKeyBundle(BinaryData content)
    {
        var root = Object(JsonNode.Parse(content.ToMemory().Span), "KeyBundle");
        var key = Object(root["key"], "KeyBundle.key");
        var kid = String(key, "kid") ?? throw Malformed("KeyBundle.key has no kid");
        var jwk = new JsonWebKey(
            kid,
            new KeyType(String(key, "kty") ?? throw Malformed("KeyBundle.key has no kty")),
            String(key, "crv") is { } crv ? new KeyCurveName(crv) : null,
            key["key_ops"] is JsonArray ops ? [.. ops.Select(o => new KeyOperation(o?.GetValue<string>() ?? string.Empty))] : [],
            Bytes(key, "x"),
            Bytes(key, "y"),
            Bytes(key, "n"),
            Bytes(key, "e"));
        return new KeyVaultKey(ReadProperties(root, kid), jwk);
    }

    public static KeyProperties ReadProperties(JsonObject item, string kid)
    {
        var id = KeyVaultKeyId.Parse(new Uri(kid), "kid");
        var attributes = item["attributes"] as JsonObject;
        return new KeyProperties(new Uri(kid), id.VaultUri, id.Name, id.Version)
        {
            Enabled = attributes?["enabled"]?.GetValue<bool>(),
            NotBefore = Time(attributes, "nbf"),
            ExpiresOn = Time(attributes, "exp"),
            CreatedOn = Time(attributes, "created"),
            UpdatedOn = Time(attributes, "updated"),
            RecoveryLevel = attributes is null ? null : String(attributes, "recoveryLevel"),
            Managed = item["managed"]?.GetValue<bool>() ?? false,
            Tags = item["tags"] is JsonObject tags
                ? tags.ToDictionary(p => p.Key, p => p.Value?.GetValue<string>() ?? string.Empty, StringComparer.Ordinal)
                : new Dictionary<string, string>(StringComparer.Ordinal),
        };
    }

    /// <summary>One page of <c>GET /keys/{name}/versions</c>: <c>{"value":[KeyItem…],"nextLink":…}</c>.</summary>
    public static (IReadOnlyList<KeyProperties> Items, string? NextLink) ReadKeyItems(BinaryData content)
    {
        var root = Object(JsonNode.Parse(content.ToMemory().Span), "KeyListResult");
        var items = root["value"] is JsonArray value
            ? value.Select(v => Object(v, "KeyItem")).Select(o => ReadProperties(o, String(o, "kid") ?? throw Malformed("KeyItem has no kid"))).ToList()
            : [];
        return (items, String(root, "nextLink"));
    }

    public static BinaryData RotationPolicyBody(KeyRotationPolicy policy)
    {
        var actions = new JsonArray();
        foreach (var action in policy.LifetimeActions)
        {
            var trigger = new JsonObject();
            if (action.TimeAfterCreate is { } after)
            {
                trigger["timeAfterCreate"] = after;
            }

            if (action.TimeBeforeExpiry is { } before)
            {
                trigger["timeBeforeExpiry"] = before;
            }

            actions.Add(new JsonObject { ["trigger"] = trigger, ["action"] = new JsonObject { ["type"] = action.Action } });
        }

        var body = new JsonObject { ["lifetimeActions"] = actions };
        if (policy.ExpiresIn is { } expiresIn)
        {
            body["attributes"] = new JsonObject { ["expiryTime"] = expiresIn };
        }

        return BinaryData.FromString(body.ToJsonString());
    }

    public static KeyRotationPolicy ReadRotationPolicy(BinaryData content)
    {
        var root = Object(JsonNode.Parse(content.ToMemory().Span), "KeyRotationPolicy");
        var attributes = root["attributes"] as JsonObject;
        var actions = new List<KeyRotationLifetimeAction>();
        if (root["lifetimeActions"] is JsonArray array)
        {
            foreach (var node in array)
            {
                var item = Object(node, "LifetimeAction");
                var trigger = item["trigger"] as JsonObject;
                var type = item["action"] is JsonObject action ? String(action, "type") : null;
                actions.Add(new KeyRotationLifetimeAction(Capitalised(type ?? throw Malformed("lifetime action without a type")))
                {
                    TimeAfterCreate = trigger is null ? null : String(trigger, "timeAfterCreate"),
                    TimeBeforeExpiry = trigger is null ? null : String(trigger, "timeBeforeExpiry"),
                });
            }
        }

        return new KeyRotationPolicy
        {
            Id = String(root, "id"),
            ExpiresIn = attributes is null ? null : String(attributes, "expiryTime"),
            LifetimeActions = actions,
            CreatedOn = Time(attributes, "created"),
            UpdatedOn = Time(attributes, "updated"),
        };
    }

    public static BinaryData SignBody(SignatureAlgorithm algorithm, ReadOnlySpan<byte> digest) =>
        BinaryData.FromString(new JsonObject { ["alg"] = algorithm.Value, ["value"] = Base64Url.EncodeToString(digest) }.ToJsonString());

    public static BinaryData VerifyBody(SignatureAlgorithm algorithm, ReadOnlySpan<byte> digest, ReadOnlySpan<byte> signature) =>
        BinaryData.FromString(new JsonObject
        {
            ["alg"] = algorithm.Value,
            ["digest"] = Base64Url.EncodeToString(digest),
            ["value"] = Base64Url.EncodeToString(signature),
        }.ToJsonString());

    public static (string? KeyId, byte[] Value) ReadKeyOperationResult(BinaryData content)
    {
        var root = Object(JsonNode.Parse(content.ToMemory().Span), "KeyOperationResult");
        return (String(root, "kid"), Bytes(root, "value") ?? throw Malformed("KeyOperationResult has no value"));
    }

    /// <summary><c>wrapkey</c>/<c>unwrapkey</c> body: <c>{"alg":…,"value":base64url}</c>.</summary>
    public static BinaryData KeyOperationBody(KeyWrapAlgorithm algorithm, ReadOnlySpan<byte> value) =>
        BinaryData.FromString(new JsonObject { ["alg"] = algorithm.Value, ["value"] = Base64Url.EncodeToString(value) }.ToJsonString());

    public static bool ReadVerifyResult(BinaryData content) =>
        Object(JsonNode.Parse(content.ToMemory().Span), "KeyVerifyResult")["value"]?.GetValue<bool>() ?? throw Malformed("KeyVerifyResult has no value");

    private static string Capitalised(string action) =>
        action.Equals("rotate", StringComparison.OrdinalIgnoreCase) ? "Rotate" : action.Equals("notify", StringComparison.OrdinalIgnoreCase) ? "Notify" : action;

    private static JsonObject Tags(IDictionary<string, string> tags)
    {
        var result = new JsonObject();
        foreach (var (name, value) in tags.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            result[name] = value;
        }

        return result;
    }

    private static JsonObject Object(JsonNode? node, string what) =>
        node as JsonObject ?? throw Malformed(what + " is not a JSON object");

    private static string? String(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var s) ? s : null;

    private static byte[]? Bytes(JsonObject node, string name) =>
        String(node, name) is { } text ? Base64Url.DecodeFromChars(text) : null;

    private static DateTimeOffset? Time(JsonObject? node, string name) =>
        node?[name] is JsonValue value && value.TryGetValue<long>(out var seconds) ? DateTimeOffset.FromUnixTimeSeconds(seconds) : null;

    private static JsonException Malformed(string what) => new("Key Vault response: " + what + ".");
}
