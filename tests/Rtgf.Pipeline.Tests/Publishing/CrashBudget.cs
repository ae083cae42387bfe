namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// Counts writes across the wrapped stores and "crashes" write number <c>allowed + 1</c> and every later one (the process is
/// dead): before it reaches the store, or (with <paramref name="afterWrite"/>) after the store applied it but before the caller
/// heard back. Without <paramref name="allowed"/> it only counts (and names) the writes of a clean run.
/// </summary>
internal sealed class CrashBudget(int allowed = int.MaxValue, bool afterWrite = false)
{
    private readonly List<string> _names = [];
    private int _writes;

    public int Writes => _writes;

    public bool Crashed { get; private set; }

    /// <summary>What each write was, in order (the sweeps name the write they crashed at).</summary>
    public IReadOnlyList<string> Names
    {
        get
        {
            lock (_names)
            {
                return [.. _names];
            }
        }
    }

    public async Task<T> WriteAsync<T>(string name, Func<Task<T>> write)
    {
        var n = Interlocked.Increment(ref _writes);
        lock (_names)
        {
            _names.Add(name);
        }

        if (n > allowed && !afterWrite)
        {
            Crashed = true;
            throw new InjectedCrashException(n);
        }

        var result = await write();
        if (n > allowed)
        {
            Crashed = true;
            throw new InjectedCrashException(n);
        }

        return result;
    }

    public Task WriteAsync(string name, Func<Task> write) => WriteAsync(name, async () =>
    {
        await write();
        return true;
    });
}
