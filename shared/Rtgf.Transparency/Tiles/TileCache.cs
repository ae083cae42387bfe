using System.Collections.Concurrent;

namespace Rtgf.Transparency.Tiles;

/// <summary>
/// Tiles by path. Every tile path (a partial one included: its width is in the path) names immutable bytes, so entries never go
/// stale; the cache only bounds its size. Thread-safe; share one per log.
/// </summary>
public sealed class TileCache
{
    private readonly ConcurrentDictionary<string, TileHashes> _tiles = new(StringComparer.Ordinal);
    private readonly int _capacity;

    /// <param name="capacity">Tiles kept (each about 16 KB with its inner hashes).</param>
    public TileCache(int capacity = 4096)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(capacity, 1);
        _capacity = capacity;
    }

    public int Count => _tiles.Count;

    internal TileHashes? Get(string path) => _tiles.GetValueOrDefault(path);

    internal void Remove(string path) => _tiles.TryRemove(path, out _);

    internal void Add(string path, TileHashes tile)
    {
        if (_tiles.Count >= _capacity)
        {
            // Crude eviction: any entry. The hot tiles (upper levels, the right edge) are re-read cheaply if dropped.
            foreach (var key in _tiles.Keys)
            {
                _tiles.TryRemove(key, out _);
                if (_tiles.Count < _capacity)
                {
                    break;
                }
            }
        }

        _tiles[path] = tile;
    }
}
