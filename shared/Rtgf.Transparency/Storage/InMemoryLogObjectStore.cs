using System.Globalization;

namespace Rtgf.Transparency.Storage;

/// <summary>A thread-safe <see cref="ILogObjectStore"/> in memory; versions are a per-store counter, so every write gets a new one.</summary>
public sealed class InMemoryLogObjectStore : ILogObjectStore, ILogObjectLister
{
    private readonly Dictionary<string, StoredObject> _objects = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();
    private long _version;

    /// <summary>Every stored path, sorted ordinally (for tests and for exporting a log to a directory).</summary>
    public IReadOnlyList<string> Paths
    {
        get
        {
            lock (_lock)
            {
                return [.. _objects.Keys.Order(StringComparer.Ordinal)];
            }
        }
    }

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return Paths.Where(p => p.StartsWith(prefix, StringComparison.Ordinal)).ToAsyncEnumerable();
    }

    public ValueTask<StoredObject?> GetAsync(string path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_lock)
        {
            return ValueTask.FromResult(_objects.GetValueOrDefault(path));
        }
    }

    public ValueTask<bool> CreateAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_lock)
        {
            if (_objects.ContainsKey(path))
            {
                return ValueTask.FromResult(false);
            }

            _objects[path] = NewObject(content);
            return ValueTask.FromResult(true);
        }
    }

    public ValueTask<string?> SwapAsync(string path, ReadOnlyMemory<byte> content, string? expectedVersion, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        lock (_lock)
        {
            var current = _objects.GetValueOrDefault(path);
            if (current?.Version != expectedVersion)
            {
                return ValueTask.FromResult<string?>(null);
            }

            var stored = NewObject(content);
            _objects[path] = stored;
            return ValueTask.FromResult<string?>(stored.Version);
        }
    }

    // Callers hold _lock. The bytes are copied so that a caller reusing its buffer cannot change a stored object.
    private StoredObject NewObject(ReadOnlyMemory<byte> content) =>
        new(content.ToArray(), (++_version).ToString(CultureInfo.InvariantCulture));
}
