using System.Text.Json;
using Rtgf.Compiler;

namespace Rtgf.Pipeline.Publishing;

/// <summary>A build as stored: its id, the manifest bytes exactly as compiled, and the snapshots it read.</summary>
public sealed record StoredBuild(string BuildId, ReadOnlyMemory<byte> ManifestJson, IReadOnlyList<BuildInput> Inputs)
{
    /// <summary>The hex part of <see cref="BuildId"/>, used in storage paths and keys.</summary>
    public string Hex => BuildIds.Hex(BuildId);

    /// <summary>The stored <c>inputs.json</c>: <c>{"buildId":…,"inputs":[{"source","digest","recordCount"}]}</c>.</summary>
    public byte[] InputsJson() => JsonSerializer.SerializeToUtf8Bytes(new BuildInputsDocument(BuildId, Inputs), PublishingJson.Default.BuildInputsDocument);

    /// <summary>Reads <c>inputs.json</c>; malformed content is a <see cref="FormatException"/>.</summary>
    public static IReadOnlyList<BuildInput> ParseInputs(ReadOnlySpan<byte> json)
    {
        try
        {
            return JsonSerializer.Deserialize(json, PublishingJson.Default.BuildInputsDocument)?.Inputs
                ?? throw new FormatException("inputs.json is null.");
        }
        catch (JsonException e)
        {
            throw new FormatException("inputs.json is not a build inputs document: " + e.Message, e);
        }
    }
}
