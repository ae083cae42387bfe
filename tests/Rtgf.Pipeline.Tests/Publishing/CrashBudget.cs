namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// Counts writes across the wrapped stores and "crashes" write number <c>allowed + 1</c> and every later one: before it
/// reaches the store, or (with <paramref name="afterWrite"/>) after the store applied it but before the caller heard back.
/// </summary>
internal sealed class CrashBudget(int allowed, bool afterWrite = false)
{
    private int _writes;

    public int Writes => _writes;

    public bool Crashed { get; private set; }

    public async Task<T> WriteAsync<T>(Func<Task<T>> write)
    {
        var n = Interlocked.Increment(ref _writes);
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

    public Task WriteAsync(Func<Task> write) => WriteAsync(async () =>
    {
        await write();
        return true;
    });
}
