using System.Security.Cryptography;
using System.Text;

namespace Rtgf.Azure.Storage;

/// <summary>
/// An account name and key used to sign requests with the SharedKey and SharedKeyLite schemes.
/// The key never appears in <see cref="ToString"/>, exceptions or logs.
/// </summary>
public sealed class StorageSharedKeyCredential
{
    private byte[] _key;

    public StorageSharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        AccountName = accountName;
        _key = Convert.FromBase64String(accountKey);
    }

    public string AccountName { get; }

    /// <summary>Replaces the key in place (key rotation) without rebuilding clients.</summary>
    public void SetAccountKey(string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        Volatile.Write(ref _key, Convert.FromBase64String(accountKey));
    }

    /// <summary>Base64(HMAC-SHA256(key, UTF-8(stringToSign))): the signature every Shared Key scheme uses.</summary>
    public string ComputeHmacSha256(string stringToSign)
    {
        var key = Volatile.Read(ref _key);
        Span<byte> mac = stackalloc byte[HMACSHA256.HashSizeInBytes];
        HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign), mac);
        return Convert.ToBase64String(mac);
    }

    internal string ExportBase64Key() => Convert.ToBase64String(Volatile.Read(ref _key));

    public override string ToString() => $"StorageSharedKeyCredential({AccountName})";
}
