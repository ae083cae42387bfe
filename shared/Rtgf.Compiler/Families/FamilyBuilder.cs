using Rtgf.Core.Encoding;

namespace Rtgf.Compiler.Families;

/// <summary>
/// Builds one family's token facts. Items are fixed and ordered by subject (ordinal) before any facts are written, so
/// the facts of item <c>i</c> can be written on any thread and the output order never depends on scheduling.
/// </summary>
internal abstract class FamilyBuilder
{
    public abstract int Count { get; }

    public abstract string Subject(int index);

    /// <summary>Writes the facts object of item <paramref name="index"/>; must be pure (called concurrently for different items).</summary>
    public abstract void WriteFacts(int index, CanonicalJsonWriter writer);

    /// <summary>
    /// A top-level facts member that says what the facts were derived from rather than what they assert (a screening's
    /// list version), or null. A change there alone replaces a token without revoking the old one, which stays true.
    /// </summary>
    public virtual string? ProvenanceMember => null;
}
