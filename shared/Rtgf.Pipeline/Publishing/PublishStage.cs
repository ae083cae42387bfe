using Microsoft.Extensions.Options;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The publish stage: recompiles the build from its stored inputs (compile is pure; QA has just shown it reproduces), checks
/// the manifest once more and hands the tokens to the <see cref="Publisher"/>. A publication that must wait is re-queued
/// with a delay by <see cref="PublishWaits"/> (<see cref="RunAsync"/>), never failed.
/// </summary>
public sealed class PublishStage(IBuildStore builds, ISnapshotStore snapshots, IBuildCompiler compiler, Publisher publisher, PublishWaits waits, IOptions<IssuerOptions> options)
{
    /// <summary>One delivery of <paramref name="request"/>: publishes, or re-queues a delayed copy when the publication must wait.</summary>
    /// <exception cref="Freeze.PublicationFrozenException">Publication is frozen (the delivery fails, as before).</exception>
    public async Task<PublishOutcome> RunAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        try
        {
            return PublishOutcome.Published(await PublishAsync(request, cancellationToken).ConfigureAwait(false));
        }
        catch (PublicationWaitException wait)
        {
            var (copy, delay) = await waits.DeferAsync(request, wait, cancellationToken).ConfigureAwait(false);
            return PublishOutcome.Waiting(copy, delay, wait.Reason);
        }
    }

    /// <exception cref="PublicationWaitException">The publication must wait (see <see cref="RunAsync"/>).</exception>
    public async Task<Publication> PublishAsync(PublishRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var build = await builds.GetAsync(request.BuildId, cancellationToken).ConfigureAwait(false)
            ?? throw new InvalidOperationException($"Build {request.BuildId} is not in the builds store.");
        await publisher.EnsureNotFrozenAsync(cancellationToken).ConfigureAwait(false);
        var inputs = await BuildCompilation.LoadInputsAsync(snapshots, build, cancellationToken).ConfigureAwait(false);
        var compiled = compiler.Compile(inputs, options.Value.Issuer);
        if (!compiled.ManifestJson.Span.SequenceEqual(build.ManifestJson.Span))
        {
            throw new InvalidOperationException($"Build {build.BuildId} no longer recompiles to its stored manifest; it is not published.");
        }

        return await publisher.PublishAsync(build, compiled, cancellationToken).ConfigureAwait(false);
    }
}
