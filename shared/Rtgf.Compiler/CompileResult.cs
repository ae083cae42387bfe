namespace Rtgf.Compiler;

/// <summary>
/// A build: the canonical build manifest (input digests, matrix version, compiler version, output digests, counts), its id
/// (<c>sha256:&lt;hex&gt;</c> of <see cref="ManifestJson"/>), and the compiled tokens ordered by family then subject (ordinal).
/// </summary>
public sealed class CompileResult(string buildId, ReadOnlyMemory<byte> manifestJson, IReadOnlyList<BuildInput> inputs, IReadOnlyList<CompiledToken> tokens)
{
    public string BuildId { get; } = buildId;

    public ReadOnlyMemory<byte> ManifestJson { get; } = manifestJson;

    public IReadOnlyList<BuildInput> Inputs { get; } = inputs;

    public IReadOnlyList<CompiledToken> Tokens { get; } = tokens;
}
