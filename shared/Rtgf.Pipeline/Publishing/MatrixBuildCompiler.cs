using Rtgf.Compiler;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Publishing;

/// <summary>The production compiler: <see cref="TokenCompiler"/> over the shipped policy matrix.</summary>
public sealed class MatrixBuildCompiler(TokenCompiler compiler) : IBuildCompiler
{
    public IReadOnlyList<string> Sources => compiler.Matrix.Sources;

    public IReadOnlyList<string> RequiredSources => compiler.Matrix.RequiredSources;

    public CompileResult Compile(IReadOnlyList<Snapshot> snapshots, string issuer) => compiler.Compile(snapshots, issuer);
}
