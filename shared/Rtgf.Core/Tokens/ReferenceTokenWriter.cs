using System.Buffers;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;

namespace Rtgf.Core.Tokens;

/// <summary>
/// Builds reference tokens: canonical payload (RFC 8785), canonical protected header, ES256 signature from an
/// <see cref="ISigner"/>. <see cref="WriteMany"/> is the publication fast path: a <see cref="CertifiedSigner"/> signs locally
/// on every core, so N tokens cost one issuer (Key Vault) signature, spent when the signer was certified.
/// </summary>
public sealed class ReferenceTokenWriter
{
    /// <summary>The protected header <c>typ</c> of a reference token.</summary>
    public const string TokenType = "rtgf-ref+jwt";

    /// <summary>
    /// The longest <c>exp - iat</c> a token may have (docs/spec/token-format.md): the writer refuses longer ones and verifiers
    /// reject them, so a leaked certified signing key signs nothing that outlives its certificate by more than this.
    /// </summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(MaxLifetimeDays);

    /// <summary><see cref="MaxLifetime"/> in days (a year, leap years included).</summary>
    public const int MaxLifetimeDays = 366;

    private static readonly SearchValues<char> LowerHex = SearchValues.Create("0123456789abcdef");

    private readonly ISigner _signer;
    private readonly byte[] _encodedHeader;

    public ReferenceTokenWriter(ISigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        _signer = signer;
        _encodedHeader = System.Text.Encoding.ASCII.GetBytes(JwsCompact.EncodeHeader(signer.PublicKey.Thumbprint, TokenType));
    }

    /// <summary>The canonical JSON payload for <paramref name="claims"/>; throws <see cref="ArgumentException"/> for invalid claims.</summary>
    public static byte[] BuildPayload(ReferenceTokenClaims claims)
    {
        using var writer = new CanonicalJsonWriter(512);
        WritePayload(claims, writer);
        return writer.ToArray();
    }

    /// <summary>Signs one token through the signer (one signer call per token: use <see cref="WriteMany"/> for volume).</summary>
    public async ValueTask<string> WriteAsync(ReferenceTokenClaims claims, CancellationToken cancellationToken = default)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        var digest = new byte[32];
        using (var writer = new CanonicalJsonWriter(512))
        {
            WritePayload(claims, writer);
            JwsCompact.BuildSigningInput(_encodedHeader, writer.WrittenSpan, buffer, digest);
        }

        var signature = await _signer.SignDigestAsync(digest, cancellationToken).ConfigureAwait(false);
        if (signature.Length != Es256.SignatureLength)
        {
            throw new InvalidOperationException($"The signer returned {signature.Length} bytes; ES256 needs the 64-byte r||s form.");
        }

        return JwsCompact.Complete(buffer, signature);
    }

    /// <summary>
    /// Signs many tokens in parallel with a locally held, certified signing key; the result is in input order.
    /// Deterministic apart from the ECDSA signatures themselves (payload and header bytes depend only on the claims).
    /// </summary>
    public static string[] WriteMany(IReadOnlyList<ReferenceTokenClaims> claims, CertifiedSigner signer, int maxDegreeOfParallelism = -1)
    {
        ArgumentNullException.ThrowIfNull(claims);
        ArgumentNullException.ThrowIfNull(signer);
        var header = System.Text.Encoding.ASCII.GetBytes(JwsCompact.EncodeHeader(signer.PublicKey.Thumbprint, TokenType));
        var tokens = new string[claims.Count];
        Parallel.For(
            0,
            claims.Count,
            new ParallelOptions { MaxDegreeOfParallelism = maxDegreeOfParallelism },
            () => new Worker(),
            (i, _, worker) =>
            {
                worker.Writer.Reset();
                WritePayload(claims[i], worker.Writer);
                JwsCompact.BuildSigningInput(header, worker.Writer.WrittenSpan, worker.Buffer, worker.Digest);
                signer.SignDigest(worker.Digest, worker.Signature);
                tokens[i] = JwsCompact.Complete(worker.Buffer, worker.Signature);
                return worker;
            },
            worker => worker.Writer.Dispose());
        return tokens;
    }

    private static void WritePayload(ReferenceTokenClaims claims, CanonicalJsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(claims);
        Validate(claims);

        // Members in ordinal order: exp, facts, fam, iat, iss, nbf, rev_epoch, snap, status, sub.
        writer.WriteStartObject();
        writer.WriteNumber("exp", claims.Expires.ToUnixTimeSeconds());
        writer.WritePropertyName("facts");
        var factsStart = writer.Length;
        try
        {
            writer.WriteCanonicalized(claims.FactsJson.Span);
        }
        catch (CanonicalJsonException ex)
        {
            throw new ArgumentException($"The facts of token '{claims.Subject}' are not I-JSON: {ex.Message}", nameof(claims), ex);
        }

        if (writer.WrittenSpan[factsStart] != (byte)'{')
        {
            throw new ArgumentException($"The facts of token '{claims.Subject}' must be a JSON object.", nameof(claims));
        }

        writer.WriteString("fam", claims.Family);
        writer.WriteNumber("iat", claims.IssuedAt.ToUnixTimeSeconds());
        writer.WriteString("iss", claims.Issuer);
        writer.WriteNumber("nbf", claims.NotBefore.ToUnixTimeSeconds());
        writer.WriteNumber("rev_epoch", claims.RevocationEpoch);
        writer.WriteString("snap", claims.SnapshotDigest);
        writer.WritePropertyName("status");
        writer.WriteStartObject();
        writer.WritePropertyName("status_list");
        writer.WriteStartObject();
        writer.WriteNumber("idx", claims.Status.Index);
        writer.WriteString("uri", claims.Status.Uri);
        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteString("sub", claims.Subject);
        writer.WriteEndObject();
    }

    private static void Validate(ReferenceTokenClaims claims)
    {
        if (!Uri.TryCreate(claims.Issuer, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"The issuer '{claims.Issuer}' is not an absolute URL.", nameof(claims));
        }

        if (string.IsNullOrEmpty(claims.Subject) || string.IsNullOrEmpty(claims.Family))
        {
            throw new ArgumentException("A token needs a subject (sub) and a family (fam).", nameof(claims));
        }

        if (claims.Expires <= claims.NotBefore)
        {
            throw new ArgumentException($"Token '{claims.Subject}' expires ({claims.Expires:O}) before it becomes valid ({claims.NotBefore:O}).", nameof(claims));
        }

        if (claims.Expires - claims.IssuedAt > MaxLifetime)
        {
            throw new ArgumentException(
                $"Token '{claims.Subject}' lives {(claims.Expires - claims.IssuedAt).TotalDays:0.#} days (exp - iat); the maximum is {MaxLifetime.TotalDays:0} days.", nameof(claims));
        }

        if (!IsSnapshotDigest(claims.SnapshotDigest))
        {
            throw new ArgumentException($"The snapshot digest '{claims.SnapshotDigest}' is not 'sha256:' and 64 lowercase hex digits.", nameof(claims));
        }

        if (claims.RevocationEpoch < 0 || claims.Status is null || claims.Status.Index < 0 || !Uri.TryCreate(claims.Status.Uri, UriKind.Absolute, out _))
        {
            throw new ArgumentException($"Token '{claims.Subject}' needs a non-negative rev_epoch and a status list entry (idx >= 0, absolute uri).", nameof(claims));
        }
    }

    private static bool IsSnapshotDigest(string digest) =>
        digest is { Length: 71 } && digest.StartsWith("sha256:", StringComparison.Ordinal) &&
        !digest.AsSpan(7).ContainsAnyExcept(LowerHex);

    private sealed class Worker
    {
        public CanonicalJsonWriter Writer { get; } = new(1024);

        public ArrayBufferWriter<byte> Buffer { get; } = new(2048);

        public byte[] Digest { get; } = new byte[32];

        public byte[] Signature { get; } = new byte[Es256.SignatureLength];
    }
}
