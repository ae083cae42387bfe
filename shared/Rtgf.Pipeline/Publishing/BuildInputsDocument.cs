using Rtgf.Compiler;

namespace Rtgf.Pipeline.Publishing;

/// <summary>The stored <c>inputs.json</c> of a build.</summary>
internal sealed record BuildInputsDocument(string BuildId, IReadOnlyList<BuildInput> Inputs);
