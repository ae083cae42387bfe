using Rtgf.Pipeline.Registry;

namespace Rtgf.Pipeline.Publishing;

/// <summary>A stored token: the registry view plus its signing key id; <c>Token.LogIndex</c> is -1 until it is logged.</summary>
internal sealed record TokenRow(RegisteredToken Token, string Kid, long GlobalIndex);
