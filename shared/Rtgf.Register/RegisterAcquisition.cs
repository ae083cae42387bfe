namespace Rtgf.Register;

/// <summary>Why a request got no generation, or the lease it got.</summary>
public enum RegisterOutcome
{
    /// <summary><see cref="RegisterAcquisition.Lease"/> holds the generation.</summary>
    Acquired,

    /// <summary>Nothing has been published yet.</summary>
    NothingPublished,

    /// <summary>The generation cannot be served right now (a load failed or another is under way): try again shortly.</summary>
    Unavailable,

    /// <summary>The cursor's generation is not one this instance can serve: start the listing again.</summary>
    Expired,
}

/// <summary>The answer to a request for a generation: a lease (dispose it) or the reason there is none.</summary>
public sealed record RegisterAcquisition(RegisterOutcome Outcome, RegisterLease? Lease)
{
    public static RegisterAcquisition Of(RegisterOutcome outcome) => new(outcome, null);

    /// <summary>A hold on <paramref name="view"/> (taken by the caller); the acquisition's receiver disposes it.</summary>
#pragma warning disable CA2000 // The lease passes to the caller, which disposes it.
    public static RegisterAcquisition Held(RegisterView view) => new(RegisterOutcome.Acquired, new RegisterLease(view));
#pragma warning restore CA2000
}
