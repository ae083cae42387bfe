namespace Rtgf.Compiler.Policy;

/// <summary>
/// A snapshot source the matrix reads and the record kinds (key prefixes, e.g. <c>rto</c>, <c>scope</c>) it may hold.
/// A build waits for every <see cref="Required"/> source's first snapshot; it proceeds without an optional one (whose
/// families are then skipped), so a new or slow source never holds up publication of the others. Optional only helps
/// when the source is absent: a given snapshot of it that is malformed fails the compile like any other input.
/// </summary>
public sealed record SourcePolicy(string Name, IReadOnlyList<string> Records, bool Required = true);
