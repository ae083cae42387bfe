using System.Text.RegularExpressions;

namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>
/// Counts writes across the wrapped stores and "crashes" write number <c>allowed + 1</c>: before it reaches the store, or (with
/// <paramref name="afterWrite"/>) after the store applied it but before the caller heard back. The process is then dead: every
/// later write fails before it reaches a store. Without <paramref name="allowed"/> it only counts (and names) the writes.
/// </summary>
internal sealed partial class CrashBudget(int allowed = int.MaxValue, bool afterWrite = false)
{
    private readonly List<string> _names = [];
    private readonly (string Name, int Occurrence)? _target;
    private int _writes;

    /// <summary>
    /// Crashes at the <paramref name="occurrence"/>-th write named <paramref name="name"/> (see <see cref="Unkeyed"/>) and every
    /// later one: a crash point that does not depend on how concurrent writes were scheduled.
    /// </summary>
    public CrashBudget(string name, int occurrence, bool afterWrite)
        : this(int.MaxValue, afterWrite) => _target = (name, occurrence);

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

    /// <summary>A write's name without certified key ids: each attempt certifies a fresh key, whose id names its row and journal batch.</summary>
    public static string Unkeyed(string name) => KeyId().Replace(name, "$1<kid>");

    public async Task<T> WriteAsync<T>(string name, Func<Task<T>> write)
    {
        var n = Interlocked.Increment(ref _writes);
        bool dead, target;
        lock (_names)
        {
            _names.Add(name);
            dead = Crashed; // the process is gone: nothing more reaches a store (not even a lease release in a finally)
            target = !dead && (n > allowed ||
                (_target is { } t && Unkeyed(name) == t.Name && _names.Count(m => Unkeyed(m) == t.Name) == t.Occurrence));
            Crashed |= target && !afterWrite;
        }

        if (dead || (target && !afterWrite))
        {
            throw new InjectedCrashException(n);
        }

        var result = await write();
        if (target)
        {
            lock (_names)
            {
                Crashed = true;
            }

            throw new InjectedCrashException(n);
        }

        return result;
    }

    [GeneratedRegex("(certified/|jwks-)[A-Za-z0-9_-]{43}")]
    private static partial Regex KeyId();

    public Task WriteAsync(string name, Func<Task> write) => WriteAsync(name, async () =>
    {
        await write();
        return true;
    });
}
