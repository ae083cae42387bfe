using Microsoft.Extensions.Options;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Configuration;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// The publish stage: recompiles the build from its stored inputs (compile is pure; QA has just shown it reproduces), checks
/// the manifest once more and hands the tokens to the <see cref="Publisher"/>.
/// </summary>
public sealed class PublishStage(IBuildStore builds, ISnapshotStore snapshots, IBuildCompiler compiler, Publisher publisher, IOptions<IssuerOptions> options)
{
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
