namespace Rtgf.StripeStandIn;

/// <summary>Every Stripe API request the stand-in received (not the admin API's), in order: what a test counts to show a call was or was not made.</summary>
internal sealed class RequestLog
{
    private readonly List<StandInRequest> _requests = [];
    private readonly object _gate = new();

    public void Add(StandInRequest request)
    {
        lock (_gate)
        {
            _requests.Add(request);
        }
    }

    public IReadOnlyList<StandInRequest> Snapshot()
    {
        lock (_gate)
        {
            return [.. _requests];
        }
    }
}

/// <summary>One API request: its id (<c>Request-Id</c>), method, path and the status it was answered with.</summary>
public sealed record StandInRequest(string Id, string Method, string Path, int Status);
