namespace Rtgf.Azure.KeyVault;

/// <summary>One rotation-policy action (<c>Rotate</c> or <c>Notify</c>) and its trigger (ISO 8601 durations).</summary>
public sealed class KeyRotationLifetimeAction
{
    public KeyRotationLifetimeAction(string action)
    {
        if (action is not ("Rotate" or "Notify"))
        {
            throw new ArgumentException($"A rotation action is 'Rotate' or 'Notify', not '{action}'.", nameof(action));
        }

        Action = action;
    }

    public string Action { get; }

    /// <summary>For example <c>P90D</c>: act this long after the version was created.</summary>
    public string? TimeAfterCreate { get; init; }

    /// <summary>For example <c>P30D</c>: act this long before the version expires.</summary>
    public string? TimeBeforeExpiry { get; init; }
}
