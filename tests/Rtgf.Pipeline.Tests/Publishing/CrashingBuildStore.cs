using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>An <see cref="IBuildStore"/> whose writes (builds and plan documents) crash once the budget is spent.</summary>
internal sealed class CrashingBuildStore(IBuildStore inner, CrashBudget budget) : IBuildStore
{
    public Task<bool> SaveAsync(StoredBuild build, CancellationToken cancellationToken = default) =>
        budget.WriteAsync("build " + build?.BuildId, () => inner.SaveAsync(build!, cancellationToken));

    public Task<StoredBuild?> GetAsync(string buildId, CancellationToken cancellationToken = default) => inner.GetAsync(buildId, cancellationToken);

    public Task PutDocumentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        budget.WriteAsync("document " + path, () => inner.PutDocumentAsync(path, content, cancellationToken));

    public Task<ReadOnlyMemory<byte>?> GetDocumentAsync(string path, CancellationToken cancellationToken = default) => inner.GetDocumentAsync(path, cancellationToken);
}
