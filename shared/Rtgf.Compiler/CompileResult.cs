using System.Text.Json;

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

    /// <summary>
    /// The families this build skipped (a source they read had no snapshot), read from the manifest: publication diffs
    /// only the families a build compiled, so a skipped family's published tokens stay as they are.
    /// </summary>
    public IReadOnlySet<string> SkippedFamilies => field ??= ReadSkipped(ManifestJson);

    private static HashSet<string> ReadSkipped(ReadOnlyMemory<byte> manifest)
    {
        using var document = JsonDocument.Parse(manifest);
        if (!document.RootElement.TryGetProperty("families", out var families))
        {
            return new HashSet<string>(StringComparer.Ordinal); // a hand-made manifest (tests, benchmarks) lists no families
        }

        return families.EnumerateArray()
            .Where(f => f.GetProperty("status").ValueEquals("skipped"))
            .Select(f => f.GetProperty("family").GetString()!)
            .ToHashSet(StringComparer.Ordinal);
    }
}
