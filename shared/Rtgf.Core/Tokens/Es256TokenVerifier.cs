using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Rtgf.Core.Encoding;
using Rtgf.Core.Signing;

namespace Rtgf.Core.Tokens;

/// <summary>
/// Verifies ES256 compact JWS tokens against a JWK Set. Trust anchors are the set's issuer keys (those without
/// <c>rtgf_cert</c>); a token's kid may name one of them, or a certified signing key whose certificate verifies against an
/// anchor and whose window covers the token's <c>iat</c>. Only ES256 is accepted. The hot path decodes into stack buffers,
/// hashes with <see cref="SHA256.HashData(ReadOnlySpan{byte}, Span{byte})"/> and verifies with a per-thread cached ECDsa.
/// Keys are found by kid (a dictionary, never a scan), and a certified key's certificate is verified once, the first time a
/// token names it, so a verification costs the same however many keys the set holds. Verify at another instant with
/// <see cref="Verify(string, DateTimeOffset)"/> instead of building a verifier per instant. Thread-safe; build a new
/// verifier when the key set changes.
/// </summary>
public sealed class Es256TokenVerifier : IDisposable
{
    private const int MaxHeaderChars = 1024;
    private const long MaxNumericDate = 253402300799;
    private static readonly TokenFailure[] NoFailures = [];

    private readonly Dictionary<string, VerificationKey> _keys = new(StringComparer.Ordinal);
    private readonly TimeProvider _time;
    private readonly TokenVerifierOptions _options;
    private long _certificateChecks;

    public Es256TokenVerifier(JsonWebKeySet keys, TimeProvider time, TokenVerifierOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(keys);
        ArgumentNullException.ThrowIfNull(time);
        _time = time;
        _options = options ?? new TokenVerifierOptions();
        foreach (var jwk in keys.Keys)
        {
            _keys[jwk.Kid] = new VerificationKey(jwk);
        }
    }

    /// <summary>How many certificate signatures this verifier has checked: at most one per certified key, however many tokens it verified.</summary>
    public long CertificateChecks => Interlocked.Read(ref _certificateChecks);

    /// <summary>Verifies at the clock's current instant.</summary>
    public TokenVerdict Verify(string token)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Verify(token.AsSpan(), _time.GetUtcNow());
    }

    /// <summary>Verifies as of <paramref name="at"/> (<c>exp</c>/<c>nbf</c> are checked against it; keys and certificates are the same).</summary>
    public TokenVerdict Verify(string token, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(token);
        return Verify(token.AsSpan(), at);
    }

    public TokenVerdict Verify(ReadOnlySpan<char> token) => Verify(token, _time.GetUtcNow());

    public TokenVerdict Verify(ReadOnlySpan<char> token, DateTimeOffset at)
    {
        List<TokenFailure>? failures = null;
        var parsed = default(ParsedToken);
        var firstDot = token.IndexOf('.');
        var secondDot = firstDot < 0 ? -1 : token[(firstDot + 1)..].IndexOf('.');
        if (secondDot < 0 || token[(firstDot + 1 + secondDot + 1)..].Contains('.'))
        {
            return Fail(TokenFailureCode.Malformed, "A compact JWS has exactly three base64url parts separated by dots.", parsed);
        }

        secondDot += firstDot + 1;
        var headerText = token[..firstDot];
        var payloadText = token[(firstDot + 1)..secondDot];
        var signatureText = token[(secondDot + 1)..];
        if (headerText.Length > MaxHeaderChars)
        {
            return Fail(TokenFailureCode.Malformed, $"The protected header is longer than {MaxHeaderChars} characters.", parsed);
        }

        Span<byte> header = stackalloc byte[MaxHeaderChars];
        if (!Base64UrlStrict.TryDecode(headerText, header, out var headerLength))
        {
            return Fail(TokenFailureCode.InvalidEncoding, "The protected header is not strict base64url (no padding, no whitespace).", parsed);
        }

        if (!TryReadHeader(header[..headerLength], out var algorithmIsEs256, out var algorithm, out var kid, out var type, out var critical, out var headerError))
        {
            return Fail(TokenFailureCode.InvalidHeader, headerError, parsed);
        }

        parsed.Kid = kid;
        if (!algorithmIsEs256)
        {
            Add(ref failures, TokenFailureCode.UnsupportedAlgorithm, $"Algorithm '{algorithm ?? "(missing)"}' is not allowed; only ES256 is accepted.");
        }

        if (critical)
        {
            Add(ref failures, TokenFailureCode.UnsupportedCriticalHeader, "The header lists critical extensions ('crit'); none are supported.");
        }

        if (_options.ExpectedType is { } expectedType && !string.Equals(type, expectedType, StringComparison.Ordinal))
        {
            Add(ref failures, TokenFailureCode.UnexpectedType, $"The header typ is '{type ?? "(missing)"}', expected '{expectedType}'.");
        }

        VerificationKey? key = null;
        if (kid is null)
        {
            Add(ref failures, TokenFailureCode.MissingKeyId, "The header has no 'kid'.");
        }
        else if (!_keys.TryGetValue(kid, out key))
        {
            Add(ref failures, TokenFailureCode.UnknownKeyId, $"No key with kid '{kid}' is in the key set.");
        }

        var payload = new byte[Base64Url.GetMaxDecodedLength(payloadText.Length)];
        if (!Base64UrlStrict.TryDecode(payloadText, payload, out var payloadLength))
        {
            Add(ref failures, TokenFailureCode.InvalidEncoding, "The payload is not strict base64url (no padding, no whitespace).");
        }
        else
        {
            parsed.Payload = payload.AsMemory(0, payloadLength);
            if (!TryReadClaims(payload.AsSpan(0, payloadLength), ref parsed, out var claimsError))
            {
                Add(ref failures, TokenFailureCode.InvalidPayload, claimsError);
            }
        }

        Span<byte> signature = stackalloc byte[Es256.SignatureLength];
        var signatureDecoded = signatureText.Length == 86 && Base64UrlStrict.TryDecode(signatureText, signature, out var signatureLength) &&
            signatureLength == Es256.SignatureLength;
        if (!signatureDecoded)
        {
            Add(ref failures, TokenFailureCode.InvalidSignature, "The signature is not 64 bytes (r||s) of strict base64url.");
        }
        else if (algorithmIsEs256 && key is not null)
        {
            Span<byte> digest = stackalloc byte[32];
            Es256.HashSigningInput(token[..secondDot], digest);
            if (!key.Ecdsa.VerifyHash(digest, signature, DSASignatureFormat.IeeeP1363FixedFieldConcatenation))
            {
                Add(ref failures, TokenFailureCode.InvalidSignature, $"The ES256 signature does not verify with key '{kid}'.");
            }
        }

        CheckTimes(ref failures, parsed, at);
        if (key is not null)
        {
            CheckKey(ref failures, key, ref parsed);
        }

        return new TokenVerdict(failures ?? (IReadOnlyList<TokenFailure>)NoFailures, parsed);
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private void CheckTimes(ref List<TokenFailure>? failures, ParsedToken parsed, DateTimeOffset now)
    {
        if (parsed.Payload.IsEmpty)
        {
            return;
        }

        // Claims and 'at' may sit at the ends of the DateTimeOffset range: compare in saturating ticks, never by adding the skew to a date.
        var skew = _options.ClockSkew.Ticks;
        if (parsed.IssuedAt is null)
        {
            Add(ref failures, TokenFailureCode.MissingClaim, "The payload has no 'iat'.");
        }

        if (parsed.Expires is not { } expires)
        {
            Add(ref failures, TokenFailureCode.MissingClaim, "The payload has no 'exp'.");
        }
        else if (now.UtcTicks >= SaturatingAdd(expires.UtcTicks, skew))
        {
            Add(ref failures, TokenFailureCode.Expired, $"The token expired at {expires:O} (clock skew {_options.ClockSkew.TotalSeconds:0} s).");
        }

        if (parsed.NotBefore is { } notBefore && now.UtcTicks < SaturatingAdd(notBefore.UtcTicks, -skew))
        {
            Add(ref failures, TokenFailureCode.NotYetValid, $"The token is not valid before {notBefore:O} (clock skew {_options.ClockSkew.TotalSeconds:0} s).");
        }

        if (parsed.IssuedAt is { } issuedAt && parsed.Expires is { } end && end - issuedAt > _options.MaxLifetime)
        {
            Add(
                ref failures,
                TokenFailureCode.LifetimeTooLong,
                $"The token's lifetime exp - iat ({end:O} - {issuedAt:O}) is longer than the policy maximum of {_options.MaxLifetime.TotalDays:0} days.");
        }
    }

    private static long SaturatingAdd(long ticks, long delta) =>
        delta >= 0 ? (ticks > long.MaxValue - delta ? long.MaxValue : ticks + delta) : (ticks < long.MinValue - delta ? long.MinValue : ticks + delta);

    private void CheckKey(ref List<TokenFailure>? failures, VerificationKey key, ref ParsedToken parsed)
    {
        if (!key.IsCertified)
        {
            parsed.IssuerKid = key.Jwk.Kid;
            if (key.Jwk.IsRetired && key.Jwk.RetiredAt is { } retiredAt && parsed.IssuedAt is { } issuedAt && issuedAt >= retiredAt)
            {
                Add(ref failures, TokenFailureCode.KeyRetired, $"Key '{key.Jwk.Kid}' retired at {retiredAt:O}, before the token's iat {issuedAt:O}.");
            }

            return;
        }

        EnsureCertificateChecked(key);
        if (key.CertificateProblem is { } problem)
        {
            (failures ??= []).Add(problem);
            return;
        }

        var certificate = key.Certificate!;
        parsed.IssuerKid = certificate.IssuerKid;
        if (parsed.IssuedAt is { } iat && !certificate.Covers(iat))
        {
            Add(
                ref failures,
                TokenFailureCode.CertificateNotValidAtIssuance,
                $"The token's iat {iat:O} is outside the signing key certificate's window [{certificate.NotBefore:O}, {certificate.Expires:O}).");
        }
    }

    /// <summary>Checks a certified key's certificate the first time a token names it; every later token reuses the outcome.</summary>
    private void EnsureCertificateChecked(VerificationKey key)
    {
        if (Volatile.Read(ref key.CertificateChecked))
        {
            return;
        }

        lock (key)
        {
            if (!key.CertificateChecked)
            {
                CheckCertificate(key);
                Volatile.Write(ref key.CertificateChecked, true);
            }
        }
    }

    private void CheckCertificate(VerificationKey key)
    {
        SigningKeyCertificate certificate;
        try
        {
            certificate = SigningKeyCertificate.Parse(key.Jwk.Certificate!);
        }
        catch (FormatException ex)
        {
            key.CertificateProblem = new TokenFailure(TokenFailureCode.CertificateInvalid, $"The certificate of key '{key.Jwk.Kid}' is unreadable: {ex.Message}");
            return;
        }

        if (!certificate.SigningKey.Equals(key.Jwk.Key))
        {
            key.CertificateProblem = new TokenFailure(TokenFailureCode.CertificateInvalid, $"The certificate published with key '{key.Jwk.Kid}' certifies another key.");
        }
        else if (!_keys.TryGetValue(certificate.IssuerKid, out var issuer) || issuer.IsCertified)
        {
            key.CertificateProblem = new TokenFailure(
                TokenFailureCode.CertificateUntrustedIssuer,
                $"The certificate of key '{key.Jwk.Kid}' is signed by '{certificate.IssuerKid}', which is not a trusted issuer key.");
        }
        else if (!VerifyCertificateSignature(certificate, issuer))
        {
            key.CertificateProblem = new TokenFailure(
                TokenFailureCode.CertificateInvalid, $"The certificate of key '{key.Jwk.Kid}' does not verify with issuer key '{issuer.Jwk.Kid}'.");
        }
        else if (issuer.Jwk.IsRetired && issuer.Jwk.RetiredAt is { } retiredAt && certificate.NotBefore >= retiredAt)
        {
            key.CertificateProblem = new TokenFailure(
                TokenFailureCode.KeyRetired, $"The certificate of key '{key.Jwk.Kid}' starts after its issuer key '{issuer.Jwk.Kid}' retired at {retiredAt:O}.");
        }
        else
        {
            key.Certificate = certificate;
        }
    }

    private bool VerifyCertificateSignature(SigningKeyCertificate certificate, VerificationKey issuer)
    {
        Interlocked.Increment(ref _certificateChecks);
        return certificate.VerifySignature(issuer.Ecdsa);
    }

    private static bool TryReadHeader(
        ReadOnlySpan<byte> json, out bool algorithmIsEs256, out string? algorithm, out string? kid, out string? type, out bool critical, out string error)
    {
        algorithmIsEs256 = false;
        algorithm = kid = type = null;
        critical = false;
        error = string.Empty;
        var seen = 0;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 8 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The protected header is not a JSON object.";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueTextEquals("alg"u8) ? 1 : reader.ValueTextEquals("kid"u8) ? 2 : reader.ValueTextEquals("typ"u8) ? 4 : reader.ValueTextEquals("crit"u8) ? 8 : 0;
                if ((seen & member) != 0)
                {
                    error = "The protected header repeats a member.";
                    return false;
                }

                seen |= member;
                reader.Read();
                if (member is 1 or 2 or 4 && reader.TokenType != JsonTokenType.String)
                {
                    error = "The protected header members alg, kid and typ must be strings.";
                    return false;
                }

                switch (member)
                {
                    case 1:
                        algorithmIsEs256 = reader.ValueTextEquals("ES256"u8);
                        algorithm = algorithmIsEs256 ? "ES256" : reader.GetString();
                        break;
                    case 2:
                        kid = reader.GetString();
                        break;
                    case 4:
                        type = reader.ValueTextEquals(ReferenceTokenWriter.TokenType) ? ReferenceTokenWriter.TokenType : reader.GetString();
                        break;
                    case 8:
                        critical = true;
                        reader.Skip();
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.Read())
            {
                error = "The protected header has data after the JSON object.";
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = "The protected header is not valid JSON: " + ex.Message;
            return false;
        }
    }

    private static bool TryReadClaims(ReadOnlySpan<byte> json, ref ParsedToken parsed, out string error)
    {
        error = string.Empty;
        var seen = 0;
        try
        {
            var reader = new Utf8JsonReader(json, new JsonReaderOptions { MaxDepth = 64 });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "The payload is not a JSON object.";
                return false;
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = reader.ValueTextEquals("exp"u8) ? 1 : reader.ValueTextEquals("nbf"u8) ? 2 : reader.ValueTextEquals("iat"u8) ? 4 :
                    reader.ValueTextEquals("iss"u8) ? 8 : reader.ValueTextEquals("sub"u8) ? 16 : reader.ValueTextEquals("fam"u8) ? 32 : 0;
                if ((seen & member) != 0)
                {
                    error = "The payload repeats a registered claim.";
                    return false;
                }

                seen |= member;
                reader.Read();
                switch (member)
                {
                    case 1 or 2 or 4:
                        // 0 to 9999-12-31T23:59:59Z: the instants a DateTimeOffset holds (no token predates 1970).
                        if (reader.TokenType != JsonTokenType.Number || !reader.TryGetDouble(out var seconds) || !double.IsFinite(seconds) ||
                            seconds is < 0 or > MaxNumericDate)
                        {
                            error = $"The claims exp, nbf and iat must be NumericDate numbers from 0 to {MaxNumericDate} (9999-12-31T23:59:59Z).";
                            return false;
                        }

                        var instant = DateTimeOffset.FromUnixTimeSeconds((long)Math.Floor(seconds));
                        _ = member == 1 ? parsed.Expires = instant : member == 2 ? parsed.NotBefore = instant : parsed.IssuedAt = instant;
                        break;
                    case 8 or 16 or 32:
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            error = "The claims iss, sub and fam must be strings.";
                            return false;
                        }

                        var text = reader.GetString();
                        _ = member == 8 ? parsed.Issuer = text : member == 16 ? parsed.Subject = text : parsed.Family = text;
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }

            if (reader.Read())
            {
                error = "The payload has data after the JSON object.";
                return false;
            }

            return true;
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = "The payload is not valid JSON: " + ex.Message;
            return false;
        }
    }

    private static TokenVerdict Fail(TokenFailureCode code, string message, ParsedToken parsed) =>
        new([new TokenFailure(code, message)], parsed);

    private static void Add(ref List<TokenFailure>? failures, TokenFailureCode code, string message) =>
        (failures ??= []).Add(new TokenFailure(code, message));
}
