using Rtgf.Core.Signing;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// Passes every key-set read to the app's reader, counting them and signalling each one that completes; <see cref="Hold"/>
/// stalls reads (a slow store); <paramref name="also"/>, when it gives a key, is added to the set read (a test's own trusted key).
/// </summary>
public sealed class CountingKeySetReader(IKeySetReader inner, Func<JsonWebKey?>? also = null) : IKeySetReader
{
    private int _reads;
    private TaskCompletionSource _next = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public int Reads => Volatile.Read(ref _reads);

    /// <summary>While set, reads wait for it to complete before reading.</summary>
    public TaskCompletionSource? Hold { get; set; }

    /// <summary>Completes when the next read (one not completed yet) completes; take it before causing the read.</summary>
    public Task NextReadAsync() => Volatile.Read(ref _next).Task;

    public async Task<JsonWebKeySet> GetAsync(CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        try
        {
            if (Hold is { } hold)
            {
                await hold.Task.WaitAsync(cancellationToken);
            }

            var keys = await inner.GetAsync(cancellationToken);
            return also?.Invoke() is { } extra ? new JsonWebKeySet([.. keys.Keys, extra]) : keys;
        }
        finally
        {
            Interlocked.Exchange(ref _next, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously)).TrySetResult();
        }
    }
}
