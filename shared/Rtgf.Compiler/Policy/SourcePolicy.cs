namespace Rtgf.Compiler.Policy;

/// <summary>A snapshot source the matrix reads and the record kinds (key prefixes, e.g. <c>rto</c>, <c>scope</c>) it may hold.</summary>
public sealed record SourcePolicy(string Name, IReadOnlyList<string> Records);
