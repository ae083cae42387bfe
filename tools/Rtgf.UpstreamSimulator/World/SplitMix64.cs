namespace Rtgf.UpstreamSimulator.World;

/// <summary>
/// SplitMix64: a tiny, well-mixed PRNG whose output depends only on the seed, on every platform and runtime
/// (System.Random's algorithm is an implementation detail and banned here).
/// </summary>
internal sealed class SplitMix64(ulong seed)
{
    private ulong _state = seed;

    public ulong NextUInt64()
    {
        var z = _state += 0x9E3779B97F4A7C15UL;
        z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9UL;
        z = (z ^ (z >> 27)) * 0x94D049BB133111EBUL;
        return z ^ (z >> 31);
    }

    /// <summary>A value in [0, maxExclusive); the modulo bias is negligible for the small ranges used here.</summary>
    public int Next(int maxExclusive)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxExclusive);
        return (int)(NextUInt64() % (ulong)maxExclusive);
    }

    public int Next(int minInclusive, int maxExclusive) => minInclusive + Next(maxExclusive - minInclusive);

    public bool Chance(int percent) => Next(100) < percent;

    public T Pick<T>(IReadOnlyList<T> items) => items[Next(items.Count)];

    /// <summary>A child generator, so one part of the world does not shift when another part draws more numbers.</summary>
    public SplitMix64 Fork(ulong salt) => new(NextUInt64() ^ (salt * 0xD1B54A32D192ED03UL));
}
