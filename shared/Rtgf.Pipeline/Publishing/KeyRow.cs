namespace Rtgf.Pipeline.Publishing;

/// <summary>A certified publication key in the JWKS: its public JWK (with <c>rtgf_cert</c>), its jwks log entry and index.</summary>
internal sealed record KeyRow(string Kid, string Jwk, string PlanKey, string Entry, long LogIndex);
