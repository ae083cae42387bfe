namespace Rtgf.Testing;

/// <summary>A tiny deterministic generator (xorshift64*) for property tests: same seed, same sequence, on every machine.</summary>
public sealed class SeededRandom(ulong seed)
{
    private ulong _state = seed == 0 ? 0x9E3779B97F4A7C15 : seed;

    public int Next(int minInclusive, int maxExclusive)
    {
        _state ^= _state >> 12;
        _state ^= _state << 25;
        _state ^= _state >> 27;
        var value = _state * 0x2545F4914F6CDD1D;
        return minInclusive + (int)(value % (ulong)(maxExclusive - minInclusive));
    }
}
