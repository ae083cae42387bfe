using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Messages;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The QA stage: recompiles a stored build from its stored input digests (in its own invocation, so nothing is shared with
/// the compile that produced it) and compares the manifests byte for byte. A mismatch logs
/// <c>RTGF_PIPELINE_DETERMINISM_FAIL</c>, counts <c>rtgf.pipeline.determinism_failures</c> and freezes publication.
/// </summary>
public sealed class DeterminismHarness(
    IBuildStore builds, ISnapshotStore snapshots, IBuildCompiler compiler, IPublicationFreeze freeze, IOptions<IssuerOptions> options, ILogger<DeterminismHarness> logger)
{
    /// <summary>The publish request when the rebuild matched; null when it did not (publication is then frozen).</summary>
    public async Task<PublishRequest?> CheckAsync(QaRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var build = await builds.GetAsync(request.BuildId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Build {request.BuildId} is not in the builds store.");
        var inputs = await BuildCompilation.LoadInputsAsync(snapshots, build, cancellationToken).ConfigureAwait(false);
        var rebuilt = compiler.Compile(inputs, options.Value.Issuer);
        if (rebuilt.ManifestJson.Span.SequenceEqual(build.ManifestJson.Span))
        {
            PipelineLog.QaPassed(logger, build.BuildId);
            return new PublishRequest(build.BuildId);
        }

        var actual = LogEntries.Sha256(rebuilt.ManifestJson.Span);
        PipelineLog.DeterminismFail(logger, build.BuildId, build.BuildId, actual);
        PipelineMetrics.DeterminismFailures.Add(1, new KeyValuePair<string, object?>("build", build.BuildId));
        await freeze.FreezeAsync(build.BuildId, $"{PipelineLog.DeterminismFailEvent}: the rebuild of {build.BuildId} gave manifest {actual}", cancellationToken).ConfigureAwait(false);
        return null;
    }
}
