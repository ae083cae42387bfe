namespace Rtgf.Pipeline.Waitlist;

/// <summary>Where a lead stands: waiting for its magic link to be used, confirmed, or unsubscribed (no more waitlist email).</summary>
public enum LeadStatus
{
    Pending,
    Confirmed,
    Unsubscribed,
}

/// <summary>
/// One prelaunch waitlist sign-up, once per address (<see cref="Id"/> is <see cref="WaitlistIds.LeadId"/> of the
/// normalised <see cref="Email"/>). <see cref="LinkId"/> is the id of the one magic link that can still confirm it (null
/// once it is used, and after an unsubscribe); <see cref="LinkExpiresAt"/> is that link's expiry. <see cref="Signups"/>
/// holds the ids of the last sign-up messages applied to the row, the newest last: a redelivered message finds its own
/// write there (and only the newest re-enqueues its email, with the same idempotency key).
/// </summary>
public sealed record Lead(
    string Id,
    string Email,
    string? Organisation,
    string? RtoCode,
    DateTimeOffset CreatedAt,
    DateTimeOffset UpdatedAt,
    string? LinkId,
    DateTimeOffset? LinkExpiresAt,
    int LinksSent,
    DateTimeOffset? ConfirmedAt,
    DateTimeOffset? UnsubscribedAt,
    IReadOnlyList<string>? Signups = null)
{
    /// <summary>How many sign-up message ids a row remembers.</summary>
    public const int MaxSignups = 8;

    public LeadStatus Status => UnsubscribedAt is not null ? LeadStatus.Unsubscribed
        : ConfirmedAt is not null ? LeadStatus.Confirmed
        : LeadStatus.Pending;
}
