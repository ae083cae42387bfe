using Rtgf.Compiler.Input;

namespace Rtgf.Compiler.Families;

/// <summary>One organisation's scope rows (refused rows dropped), ordered by component code, and the digest of all of them.</summary>
internal sealed record ScopeGroup(ScopeEntry[] Items, string Digest);
