using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Compiler;

/// <summary>The compiler: (snapshots, policy matrix, compiler version) → canonical token payloads + build manifest. Pure.</summary>
public sealed class TokenCompiler(PolicyMatrix matrix)
{
    /// <summary>The compiler version written into every build manifest; bump when output bytes change for the same inputs.</summary>
    public const string Version = "1.0.0";

    public PolicyMatrix Matrix { get; } = matrix;

    /// <summary>Compiles the given snapshots (one per source the matrix reads) for <paramref name="issuer"/>.</summary>
    public CompileResult Compile(IReadOnlyList<Snapshot> snapshots, string issuer) =>
        throw new NotImplementedException("Issue 6: the compiler is being built.");
}
