using Rtgf.Core.Signing;
using Rtgf.Pipeline.Keys;

namespace Rtgf.Functions.Tests.Support;

/// <summary>A JWKS held in memory (the Azure implementation reads the published set from storage).</summary>
public sealed class InMemoryKeySet(JsonWebKeySet keys) : IKeySetReader
{
    public JsonWebKeySet Keys { get; set; } = keys;

    public Task<JsonWebKeySet> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(Keys);
}
