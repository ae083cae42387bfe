using Rtgf.Compiler.Input;

namespace Rtgf.Compiler.Families;

/// <summary>Part <see cref="Number"/> (1-based) of <see cref="Parts"/> of a large scope.</summary>
internal sealed record ScopePart(RtoEntry Rto, ScopeGroup Group, int Number, int Parts);
