namespace Rtgf.Core.Signing;

/// <summary>An issuer key in the ring: validity from <see cref="NotBefore"/> until <see cref="RetiredAt"/> (open-ended if null).</summary>
public sealed record IssuerKey(EcPublicKey PublicKey, DateTimeOffset NotBefore, DateTimeOffset? RetiredAt, bool SignedLoggedArtefacts)
{
    public string Kid => PublicKey.Thumbprint;
}
