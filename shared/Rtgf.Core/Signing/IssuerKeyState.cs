namespace Rtgf.Core.Signing;

/// <summary>Where an issuer key is in its rotation, at a given instant.</summary>
public enum IssuerKeyState
{
    /// <summary>Published ahead of use, so verifier caches hold it before the first token it signs.</summary>
    Pending,

    /// <summary>The key new artefacts are signed with.</summary>
    Current,

    /// <summary>Replaced, but inside the rotation overlap window: still trusted for everything.</summary>
    Previous,

    /// <summary>Past the overlap window: verifies only artefacts issued before it retired, and is published only if it signed logged artefacts.</summary>
    Retired,
}
