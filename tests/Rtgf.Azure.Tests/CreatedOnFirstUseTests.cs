namespace Rtgf.Azure.Tests;

public sealed class CreatedOnFirstUseTests
{
    [Fact]
    public async Task ConcurrentFirstUses_CreateOnce_AndAllGetTheClient()
    {
        var creations = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resource = new CreatedOnFirstUse<object>(new object(), async (_, _) =>
        {
            Interlocked.Increment(ref creations);
            await release.Task;
        });

        var callers = Enumerable.Range(0, 16).Select(_ => Task.Run(() => resource.GetAsync(CancellationToken.None))).ToList();
        release.SetResult();
        var clients = await Task.WhenAll(callers);

        Assert.All(clients, c => Assert.Same(resource.Client, c));
        Assert.Equal(1, Volatile.Read(ref creations));
    }

    [Fact]
    public async Task CallerThatGivesUp_DoesNotFailTheCreationOthersAwait()
    {
        var creations = 0;
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var resource = new CreatedOnFirstUse<object>(new object(), async (_, ct) =>
        {
            Interlocked.Increment(ref creations);
            await release.Task.WaitAsync(ct);
        });
        using var impatient = new CancellationTokenSource();

        var first = resource.GetAsync(impatient.Token);
        var second = resource.GetAsync(CancellationToken.None);
        await impatient.CancelAsync();
        release.SetResult();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Same(resource.Client, await second);
        Assert.Equal(1, Volatile.Read(ref creations));
    }

    [Fact]
    public async Task FailedCreation_IsTriedAgainOnTheNextUse()
    {
        var attempts = 0;
        var resource = new CreatedOnFirstUse<object>(new object(), (_, _) =>
            Interlocked.Increment(ref attempts) == 1 ? Task.FromException(new InvalidOperationException("throttled")) : Task.CompletedTask);

        await Assert.ThrowsAsync<InvalidOperationException>(() => resource.GetAsync(CancellationToken.None));
        Assert.Same(resource.Client, await resource.GetAsync(CancellationToken.None));
        Assert.Same(resource.Client, await resource.GetAsync(CancellationToken.None));

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task PersistentFailure_FailsEachCallWithOneAttempt()
    {
        // e.g. a 403 for an identity without the data role: every caller hears it, none spins retrying it.
        var attempts = 0;
        var resource = new CreatedOnFirstUse<object>(new object(), (_, _) =>
        {
            Interlocked.Increment(ref attempts);
            return Task.FromException(new InvalidOperationException("forbidden"));
        });

        await Assert.ThrowsAsync<InvalidOperationException>(() => resource.GetAsync(CancellationToken.None));
        await Assert.ThrowsAsync<InvalidOperationException>(() => resource.GetAsync(CancellationToken.None));

        Assert.Equal(2, attempts);
    }

    [Fact]
    public async Task CallerThatHasAlreadyGivenUp_StartsNoCreation()
    {
        var creations = 0;
        var resource = new CreatedOnFirstUse<object>(new object(), (_, _) =>
        {
            Interlocked.Increment(ref creations);
            return Task.CompletedTask;
        });

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => resource.GetAsync(new CancellationToken(canceled: true)));

        Assert.Equal(0, creations);
    }
}
