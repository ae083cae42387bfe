namespace Rtgf.UpstreamSimulator.Faults;

/// <summary>The misbehaviour rules in force; a counted rule is used up one request at a time, then disappears.</summary>
internal sealed class FaultBoard
{
    private readonly List<FaultRule> _rules = [];
    private readonly object _gate = new();

    public void Add(FaultRule rule)
    {
        lock (_gate)
        {
            _rules.Add(rule);
        }
    }

    public void Clear()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public IReadOnlyList<FaultRule> Snapshot()
    {
        lock (_gate)
        {
            return [.. _rules];
        }
    }

    /// <summary>The first rule (in the order added) that matches the path, counting one use of it.</summary>
    public FaultRule? Take(string path)
    {
        lock (_gate)
        {
            var index = _rules.FindIndex(r => path.StartsWith(r.RoutePrefix, StringComparison.OrdinalIgnoreCase));
            if (index < 0)
            {
                return null;
            }

            var rule = _rules[index];
            if (rule.Count is { } count)
            {
                if (count <= 1)
                {
                    _rules.RemoveAt(index);
                }
                else
                {
                    _rules[index] = rule with { Count = count - 1 };
                }
            }

            return rule;
        }
    }

    /// <summary>Mode names as the admin API and the <c>X-Sim-Fault</c> header accept them: enum names or short aliases.</summary>
    public static FaultMode ParseMode(string text) => text.Trim().ToUpperInvariant() switch
    {
        "SLOW" => FaultMode.Slow,
        "429" or "TOOMANYREQUESTS" => FaultMode.TooManyRequests,
        "500" or "SERVERERROR" => FaultMode.ServerError,
        "503" or "UNAVAILABLE" => FaultMode.Unavailable,
        "TRUNCATED" or "TRUNCATE" => FaultMode.Truncated,
        "MALFORMED" => FaultMode.Malformed,
        "DRIFT" or "SCHEMADRIFT" => FaultMode.SchemaDrift,
        "REDIRECT" or "307" => FaultMode.Redirect,
        "FOREIGN-LINKS" or "FOREIGNLINKS" => FaultMode.ForeignLinks,
        _ => throw new SimulatorException($"Unknown fault mode '{text}': use slow, 429, 500, 503, truncated, malformed, drift, redirect or foreign-links."),
    };
}
