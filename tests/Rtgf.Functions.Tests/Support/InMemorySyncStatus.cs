using Rtgf.Pipeline.Watchtower;

namespace Rtgf.Functions.Tests.Support;

/// <summary>A fixed list of source statuses.</summary>
public sealed class InMemorySyncStatus : ISyncStatusReader
{
    public List<SourceSyncStatus> Sources { get; } = [];

    public Task<IReadOnlyList<SourceSyncStatus>> GetAsync(DateTimeOffset now, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<SourceSyncStatus>>([.. Sources]);
}
