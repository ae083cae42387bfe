using Rtgf.Core.Signing;

namespace Rtgf.Pipeline.Keys;

/// <summary>
/// The published JWKS: the issuer key(s) (current, previous, retired-but-logged) and every certified publication key
/// with its <c>rtgf_cert</c>, so every token ever published still verifies.
/// </summary>
public interface IKeySetReader
{
    Task<JsonWebKeySet> GetAsync(CancellationToken cancellationToken = default);
}
