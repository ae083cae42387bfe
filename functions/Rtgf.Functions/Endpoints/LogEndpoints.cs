using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Http;
using Rtgf.Functions.Log;
using Rtgf.Functions.Telemetry;
using Rtgf.Transparency.Storage;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>An inclusion proof of leaf <see cref="Index"/> in the tree of size <see cref="TreeSize"/> (hashes in standard base64).</summary>
internal sealed record InclusionProofResponse(long Index, long TreeSize, string RootHash, string LeafHash, IReadOnlyList<string> Hashes, string? Checkpoint);

/// <summary>A consistency proof from tree size <see cref="First"/> to <see cref="Second"/>.</summary>
internal sealed record ConsistencyProofResponse(long First, long Second, string FirstRoot, string SecondRoot, IReadOnlyList<string> Hashes, string? Checkpoint);

/// <summary>
/// The transparency log over HTTP: the checkpoint, tiles and entry bundles at their C2SP tlog-tiles paths (so any
/// tlog-tiles client, and <c>rtgf log … --log &lt;base&gt;/log/</c>, reads it), and proofs computed from the tiles.
/// </summary>
internal static class LogEndpoints
{
    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetCheckpointAsync(
        HttpContext http, [FromServices] TransparencyLog log, CancellationToken cancellationToken)
    {
        var current = await log.ReadCheckpointAsync(cancellationToken).ConfigureAwait(false);
        return current is null
            ? ApiProblem.NotReady("The log has no checkpoint yet.")
            : HttpCaching.ShortLivedBytes(http, Encoding.UTF8.GetBytes(current.Note), "text/plain; charset=utf-8");
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetTileAsync(
        string path, HttpContext http, [FromServices] TransparencyLog log, CancellationToken cancellationToken)
    {
        if (!TilePath.TryParse(path, out var tile, out var error))
        {
            return ApiProblem.NotFound($"'log/tile/{TokenEndpoints.Truncate(path)}' is not a tile path. {error}");
        }

        var current = await log.ReadCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (current is null || tile!.LeafEnd > (ulong)current.Checkpoint.Size)
        {
            return ApiProblem.NotFound($"'{tile?.Path}' is not covered by the current checkpoint.");
        }

        var stored = await log.Store.GetAsync(tile.Path, cancellationToken).ConfigureAwait(false);
        return stored is null
            ? ApiProblem.NotFound($"The log has no object '{tile.Path}'.")
            : HttpCaching.ImmutableBytes(http, stored.Content.ToArray(), "application/octet-stream");
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetInclusionProofAsync(
        string? index, string? size, string? leafHash, HttpContext http, IOptions<HttpJsonOptions> json, [FromServices] TransparencyLog log, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryParseNonNegative(index, out var leaf))
        {
            return ApiProblem.InvalidRequest("index must be a non-negative whole number (the entry's log index).");
        }

        var (current, treeSize, problem) = await ResolveSizeAsync(log, size, "size", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (leaf >= treeSize)
        {
            return ApiProblem.OutOfRange($"index {leaf} is not in a tree of size {treeSize}.");
        }

        try
        {
            return await InclusionAsync(http, json, log, current, leaf, treeSize, leafHash, explicitSize: size is not null, cancellationToken).ConfigureAwait(false);
        }
        catch (LogObjectMissingException)
        {
            return ApiProblem.NotFound($"No proof at tree size {treeSize}: proofs are served for sizes a checkpoint of this log had.");
        }
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> InclusionAsync(
        HttpContext http, IOptions<HttpJsonOptions> json, TransparencyLog log, CurrentCheckpoint current, long leaf, long treeSize, string? leafHash, bool explicitSize, CancellationToken cancellationToken)
    {
        var leafBytes = await log.Reader.Hashes.LeafHashAsync(leaf, treeSize, cancellationToken).ConfigureAwait(false);
        if (leafHash is not null && !string.Equals(leafHash, Convert.ToBase64String(leafBytes), StringComparison.Ordinal))
        {
            return ApiProblem.NotFound($"The leaf at index {leaf} does not have hash '{TokenEndpoints.Truncate(leafHash)}'.");
        }

        var proofStarted = ProofTiming.Start(http);
        var hashes = await log.Reader.GetInclusionProofAsync(leaf, treeSize, cancellationToken).ConfigureAwait(false);
        ProofTiming.Record(http, proofStarted, "inclusion");
        var root = treeSize == current.Checkpoint.Size ? current.Checkpoint.RootHashBase64 : Convert.ToBase64String(await log.Reader.GetRootAsync(treeSize, cancellationToken).ConfigureAwait(false));
        var response = new InclusionProofResponse(leaf, treeSize, root, Convert.ToBase64String(leafBytes), [.. hashes.Select(Convert.ToBase64String)],
            treeSize == current.Checkpoint.Size ? current.Note : null);
        return Serve(http, response, json, explicitSize);
    }

    internal static async Task<Results<FileContentHttpResult, ProblemHttpResult>> GetConsistencyProofAsync(
        string? first, string? second, HttpContext http, IOptions<HttpJsonOptions> json, [FromServices] TransparencyLog log, CancellationToken cancellationToken)
    {
        if (!QueryValues.TryParseNonNegative(first, out var size1) || size1 == 0)
        {
            return ApiProblem.InvalidRequest("first must be a tree size of at least 1 (a proof from the empty tree proves nothing).");
        }

        var (current, size2, problem) = await ResolveSizeAsync(log, second, "second", cancellationToken).ConfigureAwait(false);
        if (problem is not null)
        {
            return problem;
        }

        if (size1 > size2)
        {
            return ApiProblem.OutOfRange($"first ({size1}) is larger than second ({size2}).");
        }

        IReadOnlyList<byte[]> hashes;
        byte[] root1, root2;
        try
        {
            var proofStarted = ProofTiming.Start(http);
            hashes = await log.Reader.GetConsistencyProofAsync(size1, size2, cancellationToken).ConfigureAwait(false);
            ProofTiming.Record(http, proofStarted, "consistency");
            root1 = await log.Reader.GetRootAsync(size1, cancellationToken).ConfigureAwait(false);
            root2 = size2 == current.Checkpoint.Size ? current.Checkpoint.RootHash.ToArray() : await log.Reader.GetRootAsync(size2, cancellationToken).ConfigureAwait(false);
        }
        catch (LogObjectMissingException)
        {
            return ApiProblem.NotFound($"No proof between sizes {size1} and {size2}: proofs are served for sizes a checkpoint of this log had.");
        }

        var response = new ConsistencyProofResponse(size1, size2, Convert.ToBase64String(root1), Convert.ToBase64String(root2), [.. hashes.Select(Convert.ToBase64String)],
            size2 == current.Checkpoint.Size ? current.Note : null);
        return Serve(http, response, json, explicitSize: second is not null);
    }

    private static async Task<(CurrentCheckpoint Current, long Size, ProblemHttpResult? Problem)> ResolveSizeAsync(
        TransparencyLog log, string? text, string name, CancellationToken cancellationToken)
    {
        var current = await log.ReadCheckpointAsync(cancellationToken).ConfigureAwait(false);
        if (current is null)
        {
            return (null!, 0, ApiProblem.NotReady("The log has no checkpoint yet."));
        }

        if (text is null)
        {
            return (current, current.Checkpoint.Size, null);
        }

        if (!QueryValues.TryParseNonNegative(text, out var size) || size == 0)
        {
            return (current, 0, ApiProblem.InvalidRequest($"{name} must be a tree size of at least 1."));
        }

        return size > current.Checkpoint.Size
            ? (current, 0, ApiProblem.OutOfRange($"{name} ({size}) is larger than the current checkpoint's tree size ({current.Checkpoint.Size})."))
            : (current, size, null);
    }

    private static FileContentHttpResult Serve<T>(HttpContext http, T response, IOptions<HttpJsonOptions> json, bool explicitSize)
    {
        var bytes = JsonSerializer.SerializeToUtf8Bytes(response, json.Value.SerializerOptions);

        // A proof between explicit sizes never changes; one to "the current checkpoint" does.
        return explicitSize ? HttpCaching.ImmutableBytes(http, bytes, "application/json") : HttpCaching.ShortLivedBytes(http, bytes, "application/json");
    }
}
