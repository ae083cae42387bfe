namespace Rtgf.Compiler;

/// <summary>The versioned policy matrix: which snapshot sources feed which token families, validity periods and subjects.</summary>
public sealed class PolicyMatrix
{
    public required string Version { get; init; }

    /// <summary>The snapshot sources the matrix reads, ordered by name.</summary>
    public required IReadOnlyList<string> Sources { get; init; }

    /// <summary>The token families the matrix defines, ordered by name.</summary>
    public required IReadOnlyList<string> Families { get; init; }

    /// <summary>The matrix shipped with this build (validated; a bad matrix fails start-up).</summary>
    public static PolicyMatrix LoadDefault() =>
        throw new NotImplementedException("Issue 6: the policy matrix is being built.");
}
