namespace Rtgf.Core.Tokens;

/// <summary>What the verifier read from a token on its way to a verdict.</summary>
internal struct ParsedToken
{
    public string? Kid;
    public string? IssuerKid;
    public string? Issuer;
    public string? Subject;
    public string? Family;
    public DateTimeOffset? IssuedAt;
    public DateTimeOffset? NotBefore;
    public DateTimeOffset? Expires;
    public ReadOnlyMemory<byte> Payload;
}
