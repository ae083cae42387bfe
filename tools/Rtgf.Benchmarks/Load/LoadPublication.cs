using Rtgf.Core.Signing;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Benchmarks.Load;

/// <summary>What the load run verifies: one published token and the JWKS the app reads from the same storage.</summary>
internal sealed record LoadPublication(RegisteredToken Token, JsonWebKeySet Keys, long Issued);
