namespace Rtgf.StripeStandIn;

/// <summary>
/// Requests a test holds open: a hold on a path catches the first API request under it (after letting
/// <see cref="StripeHold.Skip"/> through), which computes its answer at once, then waits for the release before sending it.
/// So a test can let a client read state, change the state, and only then let the client act on what it read — two
/// appliers interleaved by a TaskCompletionSource, with no sleeps.
/// </summary>
internal sealed class HoldBoard
{
    private readonly List<StripeHold> _holds = [];
    private readonly object _gate = new();
    private int _next;

    public StripeHold Add(string pathPrefix, int skip)
    {
        lock (_gate)
        {
            var hold = new StripeHold("hold_" + (++_next).ToString(System.Globalization.CultureInfo.InvariantCulture), pathPrefix, skip);
            _holds.Add(hold);
            return hold;
        }
    }

    public StripeHold? Find(string id)
    {
        lock (_gate)
        {
            return _holds.Find(h => h.Id == id);
        }
    }

    public IReadOnlyList<StripeHold> Snapshot()
    {
        lock (_gate)
        {
            return [.. _holds];
        }
    }

    /// <summary>The armed hold (in the order added) that catches this request, if any; a skipped request counts down its hold.</summary>
    public StripeHold? Take(string path)
    {
        lock (_gate)
        {
            foreach (var hold in _holds)
            {
                if (hold.Caught || hold.Released.Task.IsCompleted || !path.StartsWith(hold.PathPrefix, StringComparison.Ordinal))
                {
                    continue;
                }

                if (hold.Skip > 0)
                {
                    hold.Skip--;
                    return null;
                }

                hold.Caught = true;
                return hold;
            }

            return null;
        }
    }

    /// <summary>Releases every hold (the stand-in is stopping, or a test clears them): nothing stays held.</summary>
    public void ReleaseAll()
    {
        lock (_gate)
        {
            foreach (var hold in _holds)
            {
                hold.Released.TrySetResult();
            }

            _holds.Clear();
        }
    }
}

/// <summary>One hold: <see cref="Reached"/> completes when a request is caught (its path), <see cref="Released"/> lets it answer.</summary>
internal sealed class StripeHold(string id, string pathPrefix, int skip)
{
    public string Id { get; } = id;

    public string PathPrefix { get; } = pathPrefix;

    /// <summary>Matching requests still to let through before one is caught (under the board's lock).</summary>
    public int Skip { get; set; } = skip;

    /// <summary>A request was caught (under the board's lock).</summary>
    public bool Caught { get; set; }

    public TaskCompletionSource<string> Reached { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

    public TaskCompletionSource Released { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
}
