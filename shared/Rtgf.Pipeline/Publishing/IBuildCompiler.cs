using Rtgf.Compiler;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Pipeline.Publishing;

/// <summary>The compiler as the pipeline sees it: which sources it reads, and a pure compile of their snapshots.</summary>
public interface IBuildCompiler
{
    /// <summary>The snapshot sources a build reads, ordered by name.</summary>
    IReadOnlyList<string> Sources { get; }

    /// <summary>The sources a build waits for, ordered by name: a build proceeds without a snapshot of any other source.</summary>
    IReadOnlyList<string> RequiredSources { get; }

    /// <summary>Compiles at most one snapshot per source in <see cref="Sources"/> (all the required ones) for <paramref name="issuer"/>.</summary>
    CompileResult Compile(IReadOnlyList<Snapshot> snapshots, string issuer);
}
