using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rtgf.Compiler;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The compile stage: compiles the latest snapshot of every source the compiler reads and stores the build (manifest and
/// inputs, create-only). Idempotent: the same snapshots give the same build id, stored once, and the same QA request.
/// It waits for every required source's first snapshot; an optional source without one is simply not an input (its
/// families are skipped and the manifest says so), so a new labour-market list never holds up publication.
/// </summary>
public sealed class BuildCompilation(ISnapshotStore snapshots, IBuildCompiler compiler, IBuildStore builds, IOptions<IssuerOptions> options, ILogger<BuildCompilation> logger)
{
    /// <summary>Compiles and stores the build; null (nothing to do) while a required source has no snapshot yet.</summary>
    public async Task<QaRequest?> CompileAsync(CompileRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var inputs = new List<Snapshot>();
        foreach (var source in compiler.Sources)
        {
            var snapshot = await snapshots.GetLatestAsync(source, cancellationToken).ConfigureAwait(false);
            if (snapshot is null)
            {
                if (!compiler.RequiredSources.Contains(source, StringComparer.Ordinal))
                {
                    continue;
                }

                PipelineLog.MissingSource(logger, source);
                return null;
            }

            inputs.Add(snapshot);
        }

        var result = compiler.Compile(inputs, options.Value.Issuer);
        await builds.SaveAsync(ToStored(result), cancellationToken).ConfigureAwait(false);
        PipelineLog.Compiled(logger, result.BuildId, result.Tokens.Count, result.Inputs.Count);
        return new QaRequest(result.BuildId);
    }

    public static StoredBuild ToStored(CompileResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return new StoredBuild(result.BuildId, result.ManifestJson, result.Inputs);
    }

    /// <summary>Loads the exact snapshots a stored build read; a missing one is an error naming it.</summary>
    public static async Task<IReadOnlyList<Snapshot>> LoadInputsAsync(ISnapshotStore snapshots, StoredBuild build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(snapshots);
        ArgumentNullException.ThrowIfNull(build);
        var loaded = new List<Snapshot>(build.Inputs.Count);
        foreach (var input in build.Inputs)
        {
            loaded.Add(await snapshots.GetAsync(input.Source, input.Digest, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Build {build.BuildId} read snapshot {input.Source}@{input.Digest}, which is no longer stored."));
        }

        return loaded;
    }
}
