using Rtgf.Transparency.Storage;

namespace Rtgf.Cli.Log;

/// <summary>A log laid out on disk with the tlog-tiles paths (<c>checkpoint</c>, <c>tile/0/000</c>, ...); it lists what it stores.</summary>
internal sealed class DirectoryLogObjectSource(string root) : ILogObjectSource, ILogObjectLister
{
    private readonly string _root = Path.GetFullPath(root);

    public async ValueTask<ReadOnlyMemory<byte>?> ReadAsync(string path, CancellationToken cancellationToken = default)
    {
        var full = Path.GetFullPath(Path.Combine(_root, path));
        if (!full.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal))
        {
            throw new ArgumentException($"The log path '{path}' leaves the log directory.", nameof(path));
        }

        // Not a conditional expression: a null byte[] would convert to an empty (non-null) ReadOnlyMemory.
        if (!File.Exists(full))
        {
            return null;
        }

        return await File.ReadAllBytesAsync(full, cancellationToken);
    }

    public IAsyncEnumerable<string> ListAsync(string prefix, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        return Directory.Exists(_root)
            ? Directory.EnumerateFiles(_root, "*", SearchOption.AllDirectories)
                .Select(file => Path.GetRelativePath(_root, file).Replace(Path.DirectorySeparatorChar, '/'))
                .Where(path => path.StartsWith(prefix, StringComparison.Ordinal))
                .ToAsyncEnumerable()
            : AsyncEnumerable.Empty<string>();
    }
}
