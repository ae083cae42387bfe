using System.Buffers.Text;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Xml;
using Microsoft.AspNetCore.Http;

namespace Rtgf.KeyVaultStandIn;

/// <summary>
/// The request handling behind <see cref="KeyVaultStandInServer"/>: routing, the 401 challenge, api-version, throttling,
/// 403 for forbidden operations, then the operation itself. Shapes follow the Key Vault keys REST specification.
/// </summary>
internal sealed class KeyVaultApi(KeyVaultStandInOptions options) : IDisposable
{
    private const string RecoveryLevel = "Recoverable+Purgeable";

    private const int MaxSecretBytes = 25 * 1024;

    private readonly Dictionary<string, StoredKey> _keys = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, List<StoredSecretVersion>> _secrets = new(StringComparer.OrdinalIgnoreCase);
    private readonly HashSet<KeyVaultOperation> _forbidden = [];
    private readonly object _gate = new();
    private long _versionCounter;

    public Uri VaultUri { get; set; } = new("https://127.0.0.1/");

    public TimeProvider TimeProvider => options.TimeProvider;

    public OperationCounters Counters { get; } = new();

    public volatile TokenBucket? Throttle;

    public volatile SignatureFault SignatureFault;

    public void Forbid(KeyVaultOperation operation, bool forbidden)
    {
        lock (_gate)
        {
            if (forbidden)
            {
                _forbidden.Add(operation);
            }
            else
            {
                _forbidden.Remove(operation);
            }
        }
    }

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var segments = (request.Path.Value ?? string.Empty).Trim('/').Split('/');
        var route = Route(request.Method, segments);
        if (route is null)
        {
            await ErrorAsync(context, 400, "BadParameter", $"The request URI '{request.Method} {request.Path}' is not a supported Key Vault keys or secrets operation.").ConfigureAwait(false);
            return;
        }

        if (!Authenticated(request, out var rejection))
        {
            Counters.AddChallenged();
            context.Response.Headers.WWWAuthenticate =
                $"Bearer authorization=\"https://login.microsoftonline.com/{options.TenantId}\", resource=\"{options.Resource}\"";
            await ErrorAsync(context, 401, "Unauthorized", rejection).ConfigureAwait(false);
            return;
        }

        var (operation, name, version) = route.Value;
        Counters.Add(operation);

        var apiVersion = request.Query["api-version"].ToString();
        if (apiVersion.Length == 0)
        {
            await ErrorAsync(context, 400, "BadParameter", "The 'api-version' query parameter is missing.").ConfigureAwait(false);
            return;
        }

        if (!options.ApiVersions.Contains(apiVersion))
        {
            await ErrorAsync(context, 400, "BadParameter", $"The specified version ({apiVersion}) is not recognized. Consider using the latest supported version ({options.ApiVersions.Max(StringComparer.Ordinal)}).").ConfigureAwait(false);
            return;
        }

        if (Throttle is { } bucket && !bucket.TryTake(out var retryAfter))
        {
            Counters.AddThrottled();
            context.Response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
            await ErrorAsync(context, 429, "Throttled", "Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached").ConfigureAwait(false);
            return;
        }

        bool forbidden;
        lock (_gate)
        {
            forbidden = _forbidden.Contains(operation);
        }

        if (forbidden)
        {
            await ErrorAsync(context, 403, "Forbidden", $"Caller is not authorized to perform action on resource. Action: {operation}.", "ForbiddenByRbac").ConfigureAwait(false);
            return;
        }

        JsonObject? body = null;
        if (request.Method is "POST" or "PUT")
        {
            try
            {
                body = await JsonNode.ParseAsync(request.Body, cancellationToken: context.RequestAborted).ConfigureAwait(false) as JsonObject;
            }
            catch (JsonException)
            {
                body = null;
            }

            if (body is null && operation is not KeyVaultOperation.RotateKey)
            {
                await ErrorAsync(context, 400, "BadParameter", "The request body is not a JSON object.").ConfigureAwait(false);
                return;
            }
        }

        if (!ValidName(name))
        {
            await ErrorAsync(context, 400, "BadParameter", $"The {(operation is KeyVaultOperation.SetSecret or KeyVaultOperation.GetSecret ? "secret" : "key")} name must be 1-127 characters of 0-9, a-z, A-Z and '-'.").ConfigureAwait(false);
            return;
        }

        var (status, result) = operation switch
        {
            KeyVaultOperation.CreateKey => Create(name, body!),
            KeyVaultOperation.GetKey => Get(name, version),
            KeyVaultOperation.GetKeyVersions => Versions(name, request.Query),
            KeyVaultOperation.RotateKey => Rotate(name),
            KeyVaultOperation.GetRotationPolicy => GetPolicy(name),
            KeyVaultOperation.UpdateRotationPolicy => PutPolicy(name, body!),
            KeyVaultOperation.Sign => Sign(name, version!, body!),
            KeyVaultOperation.SetSecret => SetSecret(name, body!),
            KeyVaultOperation.GetSecret => GetSecret(name, version),
            KeyVaultOperation.WrapKey => Wrap(name, version!, body!),
            KeyVaultOperation.UnwrapKey => Unwrap(name, version!, body!),
            _ => Verify(name, version!, body!),
        };
        await WriteAsync(context, status, result).ConfigureAwait(false);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            foreach (var version in _keys.Values.SelectMany(k => k.Versions))
            {
                version.Dispose();
            }

            _keys.Clear();
        }
    }

    private static (KeyVaultOperation Operation, string Name, string? Version)? Route(string method, string[] s) =>
        (method, s.Length > 0 ? s[0] : string.Empty, s.Length) switch
        {
            ("POST", "keys", 3) when s[2] == "create" => (KeyVaultOperation.CreateKey, s[1], null),
            ("POST", "keys", 3) when s[2] == "rotate" => (KeyVaultOperation.RotateKey, s[1], null),
            ("GET", "keys", 2) => (KeyVaultOperation.GetKey, s[1], null),
            ("GET", "keys", 3) when s[2] == "versions" => (KeyVaultOperation.GetKeyVersions, s[1], null),
            ("GET", "keys", 3) when s[2] == "rotationpolicy" => (KeyVaultOperation.GetRotationPolicy, s[1], null),
            ("PUT", "keys", 3) when s[2] == "rotationpolicy" => (KeyVaultOperation.UpdateRotationPolicy, s[1], null),
            ("GET", "keys", 3) => (KeyVaultOperation.GetKey, s[1], s[2]),
            ("POST", "keys", 4) when s[3] == "sign" => (KeyVaultOperation.Sign, s[1], s[2]),
            ("POST", "keys", 4) when s[3] == "verify" => (KeyVaultOperation.Verify, s[1], s[2]),
            ("POST", "keys", 4) when s[3] == "wrapkey" => (KeyVaultOperation.WrapKey, s[1], s[2]),
            ("POST", "keys", 4) when s[3] == "unwrapkey" => (KeyVaultOperation.UnwrapKey, s[1], s[2]),
            ("PUT", "secrets", 2) => (KeyVaultOperation.SetSecret, s[1], null),
            ("GET", "secrets", 2) => (KeyVaultOperation.GetSecret, s[1], null),
            ("GET", "secrets", 3) => (KeyVaultOperation.GetSecret, s[1], s[2].Length == 0 ? null : s[2]),
            _ => null,
        };

    private static bool ValidName(string name) =>
        name.Length is > 0 and <= 127 && name.All(c => char.IsAsciiLetterOrDigit(c) || c == '-');

    private bool Authenticated(HttpRequest request, out string rejection)
    {
        var header = request.Headers.Authorization.ToString();
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) || header[7..].Trim().Length == 0)
        {
            rejection = "AKV10000: Request is missing a Bearer or PoP token.";
            return false;
        }

        if (options.ExpectedToken is { } expected
            && !CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header[7..].Trim()), Encoding.UTF8.GetBytes(expected)))
        {
            rejection = "AKV10032: Invalid issuer or token.";
            return false;
        }

        rejection = string.Empty;
        return true;
    }

    private (int, JsonObject) Create(string name, JsonObject body)
    {
        var kty = Text(body, "kty");
        if (kty is "RSA" or "RSA-HSM")
        {
            return CreateRsa(name, kty, body);
        }

        if (kty is not ("EC" or "EC-HSM"))
        {
            return Error(400, "BadParameter", $"The stand-in creates EC, EC-HSM, RSA and RSA-HSM keys only; kty '{kty}' is not supported.");
        }

        var crv = Text(body, "crv") ?? "P-256";
        if (crv != "P-256")
        {
            return Error(400, "BadParameter", $"Unsupported curve '{crv}'; the stand-in creates P-256 keys only.");
        }

        var ops = body["key_ops"] is JsonArray array ? array.Select(o => o?.GetValue<string>() ?? string.Empty).ToList() : ["sign", "verify"];
        if (ops.Any(o => o is not ("sign" or "verify")))
        {
            return Error(400, "BadParameter", "EC keys support the key_ops 'sign' and 'verify'.");
        }

        return Store(name, kty, 0, ops, body);
    }

    /// <summary>RSA keys (2048, 3072 or 4096 bits) wrap and unwrap (and encrypt and decrypt) symmetric keys; they do not sign here.</summary>
    private (int, JsonObject) CreateRsa(string name, string kty, JsonObject body)
    {
        var size = 2048;
        if (body["key_size"] is JsonValue sizeValue && (!sizeValue.TryGetValue(out size) || size is not (2048 or 3072 or 4096)))
        {
            return Error(400, "BadParameter", "The key_size of an RSA key is 2048, 3072 or 4096.");
        }

        var ops = body["key_ops"] is JsonArray array ? array.Select(o => o?.GetValue<string>() ?? string.Empty).ToList() : ["wrapKey", "unwrapKey", "encrypt", "decrypt"];
        if (ops.Any(o => o is not ("wrapKey" or "unwrapKey" or "encrypt" or "decrypt")))
        {
            return Error(400, "BadParameter", "The stand-in's RSA keys support the key_ops 'wrapKey', 'unwrapKey', 'encrypt' and 'decrypt'.");
        }

        return Store(name, kty, size, ops, body);
    }

    private (int, JsonObject) Store(string name, string kty, int keySize, List<string> ops, JsonObject body)
    {
        var attributes = body["attributes"] as JsonObject;
        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (body["tags"] is JsonObject tagObject)
        {
            foreach (var (tag, value) in tagObject)
            {
                tags[tag] = value?.GetValue<string>() ?? string.Empty;
            }
        }

        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var key))
            {
                key = new StoredKey(name);
                _keys.Add(name, key);
            }

            var created = NewVersion(key, kty, keySize, ops, tags, attributes);
            return (200, Bundle(key, created));
        }
    }

    /// <summary>Set Secret: every set is a new version, which becomes the latest (Key Vault has no conditional set).</summary>
    private (int, JsonObject) SetSecret(string name, JsonObject body)
    {
        if (Text(body, "value") is not { } value)
        {
            return Error(400, "BadParameter", "The secret value is required.");
        }

        if (Encoding.UTF8.GetByteCount(value) > MaxSecretBytes)
        {
            return Error(400, "BadParameter", "The secret value exceeds the maximum size of 25 KB.");
        }

        var tags = new SortedDictionary<string, string>(StringComparer.Ordinal);
        if (body["tags"] is JsonObject tagObject)
        {
            foreach (var (tag, tagValue) in tagObject)
            {
                tags[tag] = tagValue?.GetValue<string>() ?? string.Empty;
            }
        }

        lock (_gate)
        {
            if (!_secrets.TryGetValue(name, out var versions))
            {
                versions = [];
                _secrets.Add(name, versions);
            }

            var counter = ++_versionCounter;
            var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"secret/{name}/{counter}")))[..16]);
            var stored = new StoredSecretVersion(version, value, Text(body, "contentType"), TimeProvider.GetUtcNow().ToUnixTimeSeconds(), tags);
            versions.Add(stored);
            return (200, SecretBundle(name, stored));
        }
    }

    private (int, JsonObject) GetSecret(string name, string? version)
    {
        lock (_gate)
        {
            var found = _secrets.TryGetValue(name, out var versions)
                ? version is null ? versions[^1] : versions.FirstOrDefault(v => string.Equals(v.Version, version, StringComparison.OrdinalIgnoreCase))
                : null;
            return found is null
                ? Error(404, "SecretNotFound", $"A secret with (name/id) {(version is null ? name : name + "/" + version)} was not found in this key vault. If you recently deleted this secret you may be able to recover it using the correct recovery command. For help resolving this issue, please see https://go.microsoft.com/fwlink/?linkid=2125182")
                : (200, SecretBundle(name, found));
        }
    }

    private JsonObject SecretBundle(string name, StoredSecretVersion secret)
    {
        var tags = new JsonObject();
        foreach (var (tag, value) in secret.Tags)
        {
            tags[tag] = value;
        }

        var bundle = new JsonObject
        {
            ["value"] = secret.Value,
            ["id"] = $"{VaultUri.AbsoluteUri}secrets/{name}/{secret.Version}",
            ["attributes"] = new JsonObject
            {
                ["enabled"] = true,
                ["created"] = secret.Created,
                ["updated"] = secret.Created,
                ["recoveryLevel"] = RecoveryLevel,
                ["recoverableDays"] = 90,
            },
            ["tags"] = tags,
        };
        if (secret.ContentType is not null)
        {
            bundle["contentType"] = secret.ContentType;
        }

        return bundle;
    }

    private (int, JsonObject) Rotate(string name)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var key))
            {
                return KeyNotFound(name, null);
            }

            var latest = key.Latest;
            var rotated = NewVersion(key, latest.KeyType, latest.KeySize, latest.KeyOps, latest.Tags, null);
            return (200, Bundle(key, rotated));
        }
    }

    private (int, JsonObject) Get(string name, string? version)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var key) || (version is null ? key.Latest : key.Find(version)) is not { } found)
            {
                return KeyNotFound(name, version);
            }

            return (200, Bundle(key, found));
        }
    }

    private (int, JsonObject) Versions(string name, IQueryCollection query)
    {
        var pageSize = options.MaxPageSize;
        if (query["maxresults"].ToString() is { Length: > 0 } max)
        {
            if (!int.TryParse(max, NumberStyles.None, CultureInfo.InvariantCulture, out var requested) || requested is < 1 or > 25)
            {
                return Error(400, "BadParameter", "maxresults must be an integer from 1 to 25.");
            }

            pageSize = Math.Min(pageSize, requested);
        }

        var skip = 0;
        if (query["$skiptoken"].ToString() is { Length: > 0 } token
            && !int.TryParse(Encoding.UTF8.GetString(DecodeOrEmpty(token)), NumberStyles.None, CultureInfo.InvariantCulture, out skip))
        {
            return Error(400, "BadParameter", "The $skiptoken is not valid.");
        }

        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var key))
            {
                return KeyNotFound(name, null);
            }

            var page = key.Versions.Skip(skip).Take(pageSize).ToList();
            var items = new JsonArray();
            foreach (var version in page)
            {
                items.Add(new JsonObject { ["kid"] = Kid(key, version), ["attributes"] = Attributes(version), ["tags"] = Tags(version) });
            }

            var result = new JsonObject { ["value"] = items, ["nextLink"] = null };
            var next = skip + page.Count;
            if (next < key.Versions.Count)
            {
                var skipToken = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(next.ToString(CultureInfo.InvariantCulture)));
                result["nextLink"] = string.Create(
                    CultureInfo.InvariantCulture,
                    $"{VaultUri.AbsoluteUri}keys/{key.Name}/versions?api-version={query["api-version"]}&$skiptoken={skipToken}&maxresults={pageSize}");
            }

            return (200, result);
        }
    }

    private (int, JsonObject) GetPolicy(string name)
    {
        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var key))
            {
                return KeyNotFound(name, null);
            }

            // Key Vault's default policy: notify 30 days before expiry.
            var policy = key.RotationPolicy ?? new JsonObject
            {
                ["lifetimeActions"] = new JsonArray(new JsonObject
                {
                    ["trigger"] = new JsonObject { ["timeBeforeExpiry"] = "P30D" },
                    ["action"] = new JsonObject { ["type"] = "Notify" },
                }),
                ["attributes"] = new JsonObject(),
            };
            var copy = (JsonObject)policy.DeepClone();
            copy["id"] = $"{VaultUri.AbsoluteUri}keys/{key.Name}/rotationpolicy";
            return (200, copy);
        }
    }

    private (int, JsonObject) PutPolicy(string name, JsonObject body)
    {
        var actions = new JsonArray();
        foreach (var node in body["lifetimeActions"] as JsonArray ?? [])
        {
            var trigger = node?["trigger"] as JsonObject;
            var type = node?["action"]?["type"]?.GetValue<string>();
            var after = trigger is null ? null : Text(trigger, "timeAfterCreate");
            var before = trigger is null ? null : Text(trigger, "timeBeforeExpiry");
            if (type is null || !(type.Equals("Rotate", StringComparison.OrdinalIgnoreCase) || type.Equals("Notify", StringComparison.OrdinalIgnoreCase)))
            {
                return Error(400, "BadParameter", "A lifetime action's type is 'Rotate' or 'Notify'.");
            }

            if ((after is null) == (before is null) || Duration(after ?? before) is null)
            {
                return Error(400, "BadParameter", "A lifetime action's trigger has exactly one of timeAfterCreate and timeBeforeExpiry, as an ISO 8601 duration.");
            }

            var copyTrigger = new JsonObject();
            if (after is not null)
            {
                copyTrigger["timeAfterCreate"] = after;
            }

            if (before is not null)
            {
                copyTrigger["timeBeforeExpiry"] = before;
            }

            actions.Add(new JsonObject { ["trigger"] = copyTrigger, ["action"] = new JsonObject { ["type"] = type } });
        }

        var expiry = body["attributes"] is JsonObject attributes ? Text(attributes, "expiryTime") : null;
        if (expiry is not null && (Duration(expiry) is not { } span || span < TimeSpan.FromDays(28)))
        {
            return Error(400, "BadParameter", $"expiryTime '{expiry}' must be an ISO 8601 duration of at least 28 days.");
        }

        lock (_gate)
        {
            if (!_keys.TryGetValue(name, out var key))
            {
                return KeyNotFound(name, null);
            }

            var now = TimeProvider.GetUtcNow().ToUnixTimeSeconds();
            var created = key.RotationPolicy?["attributes"]?["created"]?.GetValue<long>() ?? now;
            var policyAttributes = new JsonObject { ["created"] = created, ["updated"] = now };
            if (expiry is not null)
            {
                policyAttributes["expiryTime"] = expiry;
            }

            key.RotationPolicy = new JsonObject { ["lifetimeActions"] = actions, ["attributes"] = policyAttributes };
        }

        return GetPolicy(name);
    }

    private (int, JsonObject) Sign(string name, string version, JsonObject body)
    {
        if (!TryReadDigest(body, "value", out var digest, out var error))
        {
            return error;
        }

        var found = FindVersion(name, version, "sign", out var key, out var failure);
        if (found is null)
        {
            return failure;
        }

        var signature = SignatureFault switch
        {
            SignatureFault.Der => found.SignHashDer(digest),
            SignatureFault.Truncated => found.SignHash(digest)[1..],
            SignatureFault.RepeatedR => [.. found.SignHash(digest)[..32], .. found.SignHash(digest)[..32]],
            _ => found.SignHash(digest),
        };
        return (200, new JsonObject { ["kid"] = Kid(key!, found), ["value"] = Base64Url.EncodeToString(signature) });
    }

    private (int, JsonObject) Wrap(string name, string version, JsonObject body)
    {
        if (!TryReadKeyOperation(body, out var padding, out var value, out var error))
        {
            return error;
        }

        var found = FindVersion(name, version, "wrapKey", out var key, out var failure);
        if (found is null)
        {
            return failure;
        }

        if (value.Length > (found.KeySize / 8) - 66)
        {
            return Error(400, "BadParameter", "The value is too long to wrap with this key.");
        }

        return (200, new JsonObject { ["kid"] = Kid(key!, found), ["value"] = Base64Url.EncodeToString(found.Wrap(value, padding)) });
    }

    /// <summary>
    /// A value this version did not wrap (another key's, or changed bytes) fails OAEP decoding: Key Vault answers 400
    /// BadParameter and never returns bytes.
    /// </summary>
    private (int, JsonObject) Unwrap(string name, string version, JsonObject body)
    {
        if (!TryReadKeyOperation(body, out var padding, out var value, out var error))
        {
            return error;
        }

        var found = FindVersion(name, version, "unwrapKey", out var key, out var failure);
        if (found is null)
        {
            return failure;
        }

        return found.Unwrap(value, padding) is { } unwrapped
            ? (200, new JsonObject { ["kid"] = Kid(key!, found), ["value"] = Base64Url.EncodeToString(unwrapped) })
            : Error(400, "BadParameter", "Unable to decrypt specified value with this key.");
    }

    private static bool TryReadKeyOperation(JsonObject body, out RSAEncryptionPadding padding, out byte[] value, out (int, JsonObject) error)
    {
        value = [];
        error = default;
        padding = RSAEncryptionPadding.OaepSHA256;
        var alg = Text(body, "alg");
        switch (alg)
        {
            case "RSA-OAEP-256":
                break;
            case "RSA-OAEP":
                padding = RSAEncryptionPadding.OaepSHA1;
                break;
            default:
                error = Error(400, "BadParameter", $"Invalid algorithm '{alg}': an RSA key wraps with RSA-OAEP-256 or RSA-OAEP.");
                return false;
        }

        if (Text(body, "value") is not { Length: > 0 } text || DecodeOrEmpty(text) is not { Length: > 0 } decoded)
        {
            error = Error(400, "BadParameter", "Content of 'value' is not base64url.\r\nProperty 'value' is required.");
            return false;
        }

        value = decoded;
        return true;
    }

    private (int, JsonObject) Verify(string name, string version, JsonObject body)
    {
        if (!TryReadDigest(body, "digest", out var digest, out var error))
        {
            return error;
        }

        var signature = DecodeOrEmpty(Text(body, "value") ?? string.Empty);
        var found = FindVersion(name, version, "verify", out _, out var failure);
        return found is null ? failure : (200, new JsonObject { ["value"] = found.VerifyHash(digest, signature) });
    }

    private static bool TryReadDigest(JsonObject body, string member, out byte[] digest, out (int, JsonObject) error)
    {
        digest = [];
        error = default;
        var alg = Text(body, "alg");
        if (alg != "ES256")
        {
            error = Error(400, "BadParameter", $"Invalid algorithm '{alg}': a P-256 key signs with ES256.");
            return false;
        }

        digest = DecodeOrEmpty(Text(body, member) ?? string.Empty);
        if (digest.Length != 32)
        {
            error = Error(400, "BadParameter", string.Create(CultureInfo.InvariantCulture, $"Invalid digest: ES256 needs a 32-byte SHA-256 digest, got {digest.Length} bytes."));
            return false;
        }

        return true;
    }

    private StoredKeyVersion? FindVersion(string name, string version, string operation, out StoredKey? key, out (int, JsonObject) failure)
    {
        lock (_gate)
        {
            failure = default;
            if (!_keys.TryGetValue(name, out key) || key.Find(version) is not { } found)
            {
                failure = KeyNotFound(name, version);
                return null;
            }

            if (!found.KeyOps.Contains(operation))
            {
                failure = Error(403, "Forbidden", $"Operation {operation} is not permitted on this key.", "KeyOperationForbidden");
                return null;
            }

            if (!found.Enabled)
            {
                failure = Error(403, "Forbidden", "Operation is not allowed on a disabled key.", "KeyDisabled");
                return null;
            }

            return found;
        }
    }

    /// <summary>Called under the gate. Versions are deterministic: a hash of the name and a counter (no randomness).</summary>
    private StoredKeyVersion NewVersion(StoredKey key, string kty, int keySize, IReadOnlyList<string> ops, IReadOnlyDictionary<string, string> tags, JsonObject? attributes)
    {
        var counter = ++_versionCounter;
        var version = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{key.Name}/{counter}")))[..16]);
#pragma warning disable CA2000 // The stored version owns its key and is disposed with the server.
        AsymmetricAlgorithm material = keySize > 0 ? RSA.Create(keySize) : ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var created = new StoredKeyVersion(version, material, kty, ops, TimeProvider.GetUtcNow().ToUnixTimeSeconds())
        {
            Enabled = attributes?["enabled"]?.GetValue<bool>() ?? true,
            NotBefore = attributes?["nbf"]?.GetValue<long>(),
            Expires = attributes?["exp"]?.GetValue<long>(),
            Tags = new SortedDictionary<string, string>(tags.ToDictionary(), StringComparer.Ordinal),
        };
#pragma warning restore CA2000
        key.Versions.Add(created);
        return created;
    }

    private string Kid(StoredKey key, StoredKeyVersion version) => $"{VaultUri.AbsoluteUri}keys/{key.Name}/{version.Version}";

    private JsonObject Bundle(StoredKey key, StoredKeyVersion version) => new()
    {
        ["key"] = version.IsRsa
            ? new JsonObject
            {
                ["kid"] = Kid(key, version),
                ["kty"] = version.KeyType,
                ["key_ops"] = new JsonArray([.. version.KeyOps.Select(o => (JsonNode?)JsonValue.Create(o))]),
                ["n"] = Base64Url.EncodeToString(version.N),
                ["e"] = Base64Url.EncodeToString(version.E),
            }
            : new JsonObject
            {
                ["kid"] = Kid(key, version),
                ["kty"] = version.KeyType,
                ["key_ops"] = new JsonArray([.. version.KeyOps.Select(o => (JsonNode?)JsonValue.Create(o))]),
                ["crv"] = "P-256",
                ["x"] = Base64Url.EncodeToString(version.X),
                ["y"] = Base64Url.EncodeToString(version.Y),
            },
        ["attributes"] = Attributes(version),
        ["tags"] = Tags(version),
    };

    private static JsonObject Attributes(StoredKeyVersion version)
    {
        var attributes = new JsonObject { ["enabled"] = version.Enabled };
        if (version.NotBefore is { } nbf)
        {
            attributes["nbf"] = nbf;
        }

        if (version.Expires is { } exp)
        {
            attributes["exp"] = exp;
        }

        attributes["created"] = version.Created;
        attributes["updated"] = version.Created;
        attributes["recoveryLevel"] = RecoveryLevel;
        attributes["recoverableDays"] = 90;
        return attributes;
    }

    private static JsonObject Tags(StoredKeyVersion version)
    {
        var tags = new JsonObject();
        foreach (var (name, value) in version.Tags)
        {
            tags[name] = value;
        }

        return tags;
    }

    private static (int, JsonObject) KeyNotFound(string name, string? version) =>
        Error(404, "KeyNotFound", version is null ? $"A key with (name/id) {name} was not found in this key vault." : $"A key with (name/id) {name}/{version} was not found in this key vault.");

    private static (int, JsonObject) Error(int status, string code, string message, string? innerCode = null)
    {
        var error = new JsonObject { ["code"] = code, ["message"] = message };
        if (innerCode is not null)
        {
            error["innererror"] = new JsonObject { ["code"] = innerCode };
        }

        return (status, new JsonObject { ["error"] = error });
    }

    private static Task ErrorAsync(HttpContext context, int status, string code, string message, string? innerCode = null)
    {
        var (s, body) = Error(status, code, message, innerCode);
        return WriteAsync(context, s, body);
    }

    private static Task WriteAsync(HttpContext context, int status, JsonObject body)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers["x-ms-keyvault-service-version"] = "1.9.0.0";
        return context.Response.WriteAsync(body.ToJsonString(), context.RequestAborted);
    }

    private static string? Text(JsonObject node, string name) =>
        node[name] is JsonValue value && value.TryGetValue<string>(out var text) ? text : null;

    private static byte[] DecodeOrEmpty(string base64Url)
    {
        try
        {
            return Base64Url.DecodeFromChars(base64Url);
        }
        catch (FormatException)
        {
            return [];
        }
    }

    private static TimeSpan? Duration(string? iso)
    {
        try
        {
            return iso is null ? null : XmlConvert.ToTimeSpan(iso);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
