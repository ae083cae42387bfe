namespace Rtgf.StripeStandIn;

/// <summary>The faults in force; a counted fault is used up one request at a time, then disappears.</summary>
internal sealed class FaultBoard
{
    private readonly List<StripeFault> _faults = [];
    private readonly object _gate = new();

    public void Add(StripeFault fault)
    {
        lock (_gate)
        {
            _faults.Add(fault);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _faults.Clear();
        }
    }

    public IReadOnlyList<StripeFault> Snapshot()
    {
        lock (_gate)
        {
            return [.. _faults];
        }
    }

    /// <summary>The first fault (in the order added) that matches the path, counting one use of it.</summary>
    public StripeFault? Take(string path)
    {
        lock (_gate)
        {
            var index = _faults.FindIndex(f => path.StartsWith(f.PathPrefix, StringComparison.Ordinal));
            if (index < 0)
            {
                return null;
            }

            var fault = _faults[index];
            if (fault.Count is { } count)
            {
                if (count <= 1)
                {
                    _faults.RemoveAt(index);
                }
                else
                {
                    _faults[index] = fault with { Count = count - 1 };
                }
            }

            return fault;
        }
    }
}
