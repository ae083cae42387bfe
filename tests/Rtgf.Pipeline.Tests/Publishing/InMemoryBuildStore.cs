using Rtgf.Pipeline.Publishing;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>An <see cref="IBuildStore"/> in memory, create-only like the Blob store (an existing document must hold the same bytes).</summary>
internal sealed class InMemoryBuildStore : IBuildStore
{
    private readonly Dictionary<string, byte[]> _documents = new(StringComparer.Ordinal);
    private readonly Dictionary<string, StoredBuild> _builds = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<bool> SaveAsync(StoredBuild build, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(build);
        lock (_gate)
        {
            return Task.FromResult(_builds.TryAdd(build.BuildId, build));
        }
    }

    public Task<StoredBuild?> GetAsync(string buildId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_builds.GetValueOrDefault(buildId));
        }
    }

    public Task PutDocumentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_documents.TryGetValue(path, out var existing))
            {
                return existing.AsSpan().SequenceEqual(content.Span)
                    ? Task.CompletedTask
                    : throw new InvalidOperationException($"The document '{path}' exists with other bytes.");
            }

            _documents[path] = content.ToArray();
            return Task.CompletedTask;
        }
    }

    public Task<ReadOnlyMemory<byte>?> GetDocumentAsync(string path, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<ReadOnlyMemory<byte>?>(_documents.TryGetValue(path, out var bytes) ? bytes : null);
        }
    }
}
