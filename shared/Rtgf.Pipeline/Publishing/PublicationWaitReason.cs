namespace Rtgf.Pipeline.Publishing;

/// <summary>Why a publication cannot start yet (it will later, without anyone doing anything).</summary>
public enum PublicationWaitReason
{
    /// <summary>Another publication (or manual revocation) is in progress; the registry head admits one at a time.</summary>
    Busy,

    /// <summary>The build's tokens are dated ahead of the publisher's clock by more than <see cref="Publisher.AllowedClockSkew"/>.</summary>
    NotYetValid,
}
