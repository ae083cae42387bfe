namespace Rtgf.Functions.Verification;

/// <summary>Verdict codes the API adds to the signature verifier's (listed in docs/spec/api.md).</summary>
internal static class VerifyCodes
{
    public const string Revoked = "revoked";
    public const string Suspended = "suspended";
    public const string StatusMissing = "status-missing";
    public const string StatusReferenceInvalid = "status-reference-invalid";
    public const string StatusListUnknown = "status-list-unknown";
    public const string StatusListUnreadable = "status-list-unreadable";
    public const string StatusIndexOutOfRange = "status-index-out-of-range";
    public const string CheckpointInvalid = "checkpoint-invalid";
    public const string LogIndexOutOfRange = "log-index-out-of-range";
    public const string EntryMismatch = "entry-mismatch";
    public const string ProofInvalid = "proof-invalid";
}
