using Rtgf.Pipeline.Freeze;

namespace Rtgf.Functions.Tests.Support;

/// <summary>The publication freeze in memory.</summary>
public sealed class InMemoryFreeze(TimeProvider time) : IPublicationFreeze
{
    private FreezeState _state = new(false, null, null, null, null, null, null, "\"0\"");

    public Task<FreezeState> GetAsync(CancellationToken cancellationToken = default) => Task.FromResult(_state);

    public Task<FreezeState> FreezeAsync(string buildId, string reason, CancellationToken cancellationToken = default) =>
        Task.FromResult(_state = _state.IsFrozen ? _state : _state with { IsFrozen = true, BuildId = buildId, Reason = reason, FrozenAt = time.GetUtcNow(), ETag = "\"1\"" });

    public Task<FreezeState> ClearAsync(string reason, string actor, CancellationToken cancellationToken = default) =>
        Task.FromResult(_state = _state with { IsFrozen = false, ClearedBy = actor, ClearReason = reason, ClearedAt = time.GetUtcNow(), ETag = "\"2\"" });
}
