namespace Rtgf.Functions.Verification;

/// <summary>One reason a token is not valid: a stable code (docs/spec/api.md, docs/spec/token-format.md) and a message.</summary>
internal sealed record VerifyReason(string Code, string Message);

/// <summary>The claims that could be read, and the token id (hex SHA-256 of the payload).</summary>
internal sealed record VerifiedClaims(
    string? Kid,
    string? IssuerKid,
    string? Issuer,
    string? Subject,
    string? Family,
    DateTimeOffset? IssuedAt,
    DateTimeOffset? NotBefore,
    DateTimeOffset? Expires,
    string? TokenId,
    long? RevEpoch);

/// <summary>The token's slot in its status list: the value found (0 valid, 1 revoked, 2 suspended), the list's epoch and the current epoch.</summary>
internal sealed record VerifiedStatus(string? ListUri, long? Index, int? Value, long? ListEpoch, long CurrentEpoch);

/// <summary>Why and when a revoked token was revoked.</summary>
internal sealed record VerifiedRevocation(string Kind, string Reason, long Epoch, DateTimeOffset RevokedAt, string? ReplacedBy, long LogIndex);

/// <summary>The inclusion check against a caller's checkpoint.</summary>
internal sealed record VerifiedProof(long LogIndex, long TreeSize, string? RootHash, bool Included);

/// <summary>A verdict: valid only when <see cref="Reasons"/> is empty; every reason found is listed.</summary>
internal sealed record VerifyVerdict(
    bool Valid,
    IReadOnlyList<VerifyReason> Reasons,
    VerifiedClaims? Claims,
    VerifiedStatus? Status,
    VerifiedRevocation? Revocation,
    VerifiedProof? Proof,
    DateTimeOffset CheckedAt);

/// <summary>An optional inclusion proof: the token's log index and, optionally, the proof hashes (standard base64); without hashes the server computes them.</summary>
internal sealed record ProofRequest(long LogIndex, IReadOnlyList<byte[]>? Hashes);

/// <summary>A batch of verdicts, in request order.</summary>
internal sealed record VerifyBatchResult(int Count, int Valid, IReadOnlyList<VerifyVerdict> Results);

/// <summary>The body of <c>POST /verify</c> (documentation shape for OpenAPI; the endpoint reads it strictly by hand).</summary>
internal sealed record VerifyRequest(string Token, string? Checkpoint, VerifyProofBody? Proof, DateTimeOffset? At);

/// <summary>The <c>proof</c> member of a verify request.</summary>
internal sealed record VerifyProofBody(long LogIndex, IReadOnlyList<string>? Hashes);

/// <summary>The body of <c>POST /verify/batch</c>.</summary>
internal sealed record VerifyBatchRequest(IReadOnlyList<string> Tokens, DateTimeOffset? At);
