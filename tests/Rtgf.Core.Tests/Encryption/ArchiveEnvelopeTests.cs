using System.Buffers.Binary;
using Rtgf.Core.Encryption;

namespace Rtgf.Core.Tests.Encryption;

/// <summary>
/// The archive envelope (docs/spec/archives.md#format): it round-trips, and every kind of damage or a wrong key is refused
/// with <see cref="ArchiveDecryptionException"/>, never with plaintext.
/// </summary>
public sealed class ArchiveEnvelopeTests
{
    private static readonly byte[] Plaintext = System.Text.Encoding.UTF8.GetBytes("""[{"id":"ab12","subject":"ops@example.org","kind":"magic-link"}]""");

    private static readonly Dictionary<string, string> Metadata = new(StringComparer.Ordinal)
    {
        ["session-id"] = "ab12",
        ["kind"] = "magic-link",
        ["archived-at"] = "2026-12-05T00:00:00.0000000Z",
    };

    private static LocalDevelopmentKeyWrapper Key(byte fill) => new(Enumerable.Repeat(fill, DataKeys.KeySize).ToArray());

    [Fact]
    public async Task Seal_ThenOpen_ReturnsThePlaintextAndTheAuthenticatedHeader()
    {
        var key = Key(1);

        var archive = await ArchiveEnvelope.SealAsync(Plaintext, Metadata, key);
        var opened = await ArchiveEnvelope.OpenAsync(archive, key);

        Assert.Equal(Plaintext, opened.Plaintext);
        Assert.Equal(key.KeyId, opened.Header.KeyId);
        Assert.Equal(LocalDevelopmentKeyWrapper.Algorithm, opened.Header.KeyAlgorithm);
        Assert.Equal(Metadata.OrderBy(m => m.Key, StringComparer.Ordinal).ToList(), opened.Header.Metadata.ToList());
        Assert.Equal(opened.Header.Metadata.ToList(), ArchiveEnvelope.ReadHeader(archive).Metadata.ToList());
        Assert.DoesNotContain("ops@example.org", System.Text.Encoding.UTF8.GetString(archive), StringComparison.Ordinal); // the subject is encrypted
    }

    [Fact]
    public async Task Seal_TwiceTheSamePlaintext_GivesDifferentArchives()
    {
        var key = Key(1);

        var first = await ArchiveEnvelope.SealAsync(Plaintext, Metadata, key);
        var second = await ArchiveEnvelope.SealAsync(Plaintext, Metadata, key);

        Assert.NotEqual(first, second); // fresh data key and nonce each time
    }

    [Fact]
    public async Task Open_WithAnotherKey_IsRefused()
    {
        var archive = await ArchiveEnvelope.SealAsync(Plaintext, Metadata, Key(1));

        var error = await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveEnvelope.OpenAsync(archive, Key(2)));

        Assert.Contains("not by this development key", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Open_WithAnotherKeyClaimingTheSameId_FailsAuthentication()
    {
        // A header rewritten to name the other key's id still fails: the wrapped key does not authenticate under it.
        var archive = await ArchiveEnvelope.SealAsync(Plaintext, Metadata, Key(1));
        var other = Key(2);
        var forged = Rewrite(archive, header => header.Replace(Key(1).KeyId, other.KeyId, StringComparison.Ordinal));

        await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveEnvelope.OpenAsync(forged, other));
    }

    public static TheoryData<string> Regions => ["magic", "length", "header", "ciphertext", "tag"];

    [Theory]
    [MemberData(nameof(Regions))]
    public async Task Open_AfterOneFlippedBit_InAnyRegion_IsRefused(string region)
    {
        var key = Key(1);
        var archive = await ArchiveEnvelope.SealAsync(Plaintext, Metadata, key);
        var headerLength = (int)BinaryPrimitives.ReadUInt32BigEndian(archive.AsSpan(8));
        var index = region switch
        {
            "magic" => 3,
            "length" => 11,
            "header" => 12 + (headerLength / 2),
            "ciphertext" => 12 + headerLength + 5,
            _ => archive.Length - 3,
        };

        for (var bit = 0; bit < 8; bit++)
        {
            var damaged = (byte[])archive.Clone();
            damaged[index] ^= (byte)(1 << bit);
            await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveEnvelope.OpenAsync(damaged, key));
        }
    }

    [Fact]
    public async Task Open_AnyFlippedBitAnywhere_IsRefused()
    {
        var key = Key(1);
        var archive = await ArchiveEnvelope.SealAsync("x"u8.ToArray(), new Dictionary<string, string>(), key);

        for (var i = 0; i < archive.Length; i++)
        {
            var damaged = (byte[])archive.Clone();
            damaged[i] ^= 0x10;
            await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveEnvelope.OpenAsync(damaged, key));
        }
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(12)]
    [InlineData(100)]
    [InlineData(-1)]
    [InlineData(-16)]
    public async Task Open_Truncated_IsRefused(int keep)
    {
        var key = Key(1);
        var archive = await ArchiveEnvelope.SealAsync(Plaintext, Metadata, key);
        var length = keep >= 0 ? keep : archive.Length + keep;

        await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveEnvelope.OpenAsync(archive.AsMemory(0, length), key));
    }

    [Fact]
    public async Task Open_WithChangedMetadata_FailsAuthentication()
    {
        // Same length, valid JSON, a plausible new value: only the authentication catches it (a purge-date forgery).
        var key = Key(1);
        var archive = await ArchiveEnvelope.SealAsync(Plaintext, Metadata, key);
        var forged = Rewrite(archive, header => header.Replace("2026-12-05", "2024-12-05", StringComparison.Ordinal));

        Assert.Equal("2024-12-05T00:00:00.0000000Z", ArchiveEnvelope.ReadHeader(forged).Metadata["archived-at"]);
        var error = await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveEnvelope.OpenAsync(forged, key));
        Assert.Contains("does not authenticate", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void DevelopmentKey_FromFile_ReadsRawBytesOrBase64_AndRefusesOtherContent()
    {
        var directory = Directory.CreateTempSubdirectory("rtgf-archive-key");
        try
        {
            var raw = Path.Combine(directory.FullName, "raw");
            var text = Path.Combine(directory.FullName, "text");
            var bad = Path.Combine(directory.FullName, "bad");
            File.WriteAllBytes(raw, Enumerable.Repeat((byte)7, 32).ToArray());
            File.WriteAllText(text, Convert.ToBase64String(Enumerable.Repeat((byte)7, 32).ToArray()) + "\n");
            File.WriteAllText(bad, "not a key");

            Assert.Equal(Key(7).KeyId, LocalDevelopmentKeyWrapper.FromFile(raw).KeyId);
            Assert.Equal(Key(7).KeyId, LocalDevelopmentKeyWrapper.FromFile(text).KeyId);
            Assert.Throws<ArgumentException>(() => LocalDevelopmentKeyWrapper.FromFile(bad));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    [Theory]
    [InlineData("wk", "null")]
    [InlineData("wk", "7")]
    [InlineData("wk", null)]
    [InlineData("nonce", "null")]
    [InlineData("nonce", "7")]
    [InlineData("nonce", null)]
    [InlineData("kid", "null")]
    [InlineData("kid", "7")]
    [InlineData("kid", null)]
    [InlineData("kwAlg", "null")]
    [InlineData("kwAlg", "7")]
    [InlineData("kwAlg", null)]
    [InlineData("meta", "null")]
    [InlineData("meta", "7")]
    [InlineData("meta", "[]")]
    [InlineData("meta", null)]
    [InlineData("meta", "{\"count\":7}")]
    [InlineData("v", "null")]
    [InlineData("v", "\"1\"")]
    [InlineData("v", "1.5")]
    [InlineData("v", null)]
    [InlineData("alg", "null")]
    [InlineData("alg", null)]
    public async Task HostileHeader_NullNumberOrMissingMember_IsAnArchiveDecryptionException(string member, string? json)
    {
        // json null: the member is missing. The header is re-packed with its new length, so only the member's value is wrong.
        var key = Key(1);
        var archive = await ArchiveEnvelope.SealAsync(Plaintext, Metadata, key);
        var headerLength = (int)BinaryPrimitives.ReadUInt32BigEndian(archive.AsSpan(8));
        var header = System.Text.Json.Nodes.JsonNode.Parse(archive.AsSpan(12, headerLength))!.AsObject();
        header.Remove(member);
        if (json is not null)
        {
            header[member] = System.Text.Json.Nodes.JsonNode.Parse(json);
        }

        var newHeader = System.Text.Encoding.UTF8.GetBytes(header.ToJsonString());
        var hostile = new byte[12 + newHeader.Length + (archive.Length - 12 - headerLength)];
        archive.AsSpan(0, 8).CopyTo(hostile);
        BinaryPrimitives.WriteUInt32BigEndian(hostile.AsSpan(8), (uint)newHeader.Length);
        newHeader.CopyTo(hostile, 12);
        archive.AsSpan(12 + headerLength).CopyTo(hostile.AsSpan(12 + newHeader.Length));

        Assert.Throws<ArchiveDecryptionException>(() => ArchiveEnvelope.ReadHeader(hostile));
        await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveEnvelope.OpenAsync(hostile, key));
    }

    [Theory]
    [InlineData("[]")]
    [InlineData("7")]
    [InlineData("null")]
    [InlineData("\"x\"")]
    public void HostileHeader_NotAnObject_IsAnArchiveDecryptionException(string json)
    {
        var header = System.Text.Encoding.UTF8.GetBytes(json);
        var hostile = new byte[12 + header.Length + 32];
        "RTGFENC1"u8.CopyTo(hostile);
        BinaryPrimitives.WriteUInt32BigEndian(hostile.AsSpan(8), (uint)header.Length);
        header.CopyTo(hostile, 12);

        Assert.Throws<ArchiveDecryptionException>(() => ArchiveEnvelope.ReadHeader(hostile));
    }

    private static byte[] Rewrite(byte[] archive, Func<string, string> change)
    {
        var headerLength = (int)BinaryPrimitives.ReadUInt32BigEndian(archive.AsSpan(8));
        var header = System.Text.Encoding.UTF8.GetBytes(change(System.Text.Encoding.UTF8.GetString(archive, 12, headerLength)));
        Assert.Equal(headerLength, header.Length);
        var copy = (byte[])archive.Clone();
        header.CopyTo(copy, 12);
        Assert.NotEqual(archive, copy);
        return copy;
    }
}
