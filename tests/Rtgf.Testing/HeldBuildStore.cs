using Rtgf.Pipeline.Publishing;

namespace Rtgf.Testing;

/// <summary>
/// Passes everything to the store and records every build read; after <see cref="Hold"/>, each build read waits for
/// <see cref="Release"/>: a register load held open at its first read.
/// </summary>
public sealed class HeldBuildStore(IBuildStore inner) : IBuildStore
{
    private readonly Lock _gate = new();
    private readonly List<string> _reads = [];
    private readonly Dictionary<string, TaskCompletionSource> _readsOf = new(StringComparer.Ordinal);
    private TaskCompletionSource _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource? _released;

    /// <summary>Completes when a read arrives after the last <see cref="Hold"/> (and waits).</summary>
    public Task Reached
    {
        get
        {
            lock (_gate)
            {
                return _reached.Task;
            }
        }
    }

    /// <summary>The build ids read so far, in order.</summary>
    public IReadOnlyList<string> Reads
    {
        get
        {
            lock (_gate)
            {
                return [.. _reads];
            }
        }
    }

    /// <summary>From now on, build reads wait until <see cref="Release"/>.</summary>
    public void Hold()
    {
        lock (_gate)
        {
            _reached = new(TaskCreationOptions.RunContinuationsAsynchronously);
            _released = new(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets held reads (and every later one) through.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _released?.TrySetResult();
            _released = null;
        }
    }

    /// <summary>Completes when build <paramref name="buildId"/> is read (or at once if it was).</summary>
    public Task ReadOf(string buildId)
    {
        lock (_gate)
        {
            return ReadSignal(buildId).Task;
        }
    }

    public async Task<StoredBuild?> GetAsync(string buildId, CancellationToken cancellationToken = default)
    {
        Task? held;
        lock (_gate)
        {
            _reads.Add(buildId);
            ReadSignal(buildId).TrySetResult();
            held = _released?.Task;
            if (held is not null)
            {
                _reached.TrySetResult();
            }
        }

        if (held is not null)
        {
            await held.WaitAsync(cancellationToken);
        }

        return await inner.GetAsync(buildId, cancellationToken);
    }

    public Task<bool> SaveAsync(StoredBuild build, CancellationToken cancellationToken = default) => inner.SaveAsync(build, cancellationToken);

    public Task PutDocumentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) =>
        inner.PutDocumentAsync(path, content, cancellationToken);

    public Task<ReadOnlyMemory<byte>?> GetDocumentAsync(string path, CancellationToken cancellationToken = default) =>
        inner.GetDocumentAsync(path, cancellationToken);

    private TaskCompletionSource ReadSignal(string buildId)
    {
        if (!_readsOf.TryGetValue(buildId, out var signal))
        {
            signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _readsOf[buildId] = signal;
        }

        return signal;
    }
}
