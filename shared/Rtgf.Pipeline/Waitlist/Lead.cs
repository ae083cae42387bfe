namespace Rtgf.Pipeline.Waitlist;

/// <summary>Where a lead stands: waiting for its magic link to be used, confirmed, or unsubscribed (no more waitlist email).</summary>
public enum LeadStatus
{
    Pending,
    Confirmed,
    Unsubscribed,
}

/// <summary>
/// One prelaunch waitlist sign-up, once per address (<see cref="Id"/> is <see cref="WaitlistAddress.LeadId"/> of the
/// normalised <see cref="Email"/>). <see cref="LinkId"/> is the id of the one magic link that can still confirm it (null
/// once it is used, and after an unsubscribe); <see cref="LinkExpiresAt"/> is that link's expiry.
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
    DateTimeOffset? UnsubscribedAt)
{
    public LeadStatus Status => UnsubscribedAt is not null ? LeadStatus.Unsubscribed
        : ConfirmedAt is not null ? LeadStatus.Confirmed
        : LeadStatus.Pending;
}
