using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Tooling;

/// <summary>
/// One build and its snapshots in memory, and a registry with no tokens: what a register load of given snapshots reads
/// (the national register tests and benchmark load the simulator's national world through the real loader with these).
/// </summary>
public sealed class MemoryBuildStores(IReadOnlyList<Snapshot> snapshots, StoredBuild build) : ISnapshotStore, IBuildStore, ITokenRegistry
{
    public Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default) =>
        Task.FromResult(snapshots.FirstOrDefault(s => s.Manifest.Source == source && s.Manifest.Digest == digest));

    public Task<StoredBuild?> GetAsync(string buildId, CancellationToken cancellationToken = default) =>
        Task.FromResult<StoredBuild?>(buildId == build.BuildId ? build : null);

    public Task<RegistryPage<RegisteredToken>> ListAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default) =>
        Task.FromResult(new RegistryPage<RegisteredToken>([], null));

    public Task<Publication?> GetLatestPublicationAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<bool> SaveAsync(StoredBuild build, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task PutDocumentAsync(string path, ReadOnlyMemory<byte> content, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<ReadOnlyMemory<byte>?> GetDocumentAsync(string path, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    Task<RegisteredToken?> ITokenRegistry.GetAsync(string tokenId, CancellationToken cancellationToken) => throw new NotSupportedException();

    public Task<IReadOnlyList<RegisteredToken>> GetLatestAsync(string subject, string? family = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

    public Task<IReadOnlyList<FamilySummary>> GetFamiliesAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
}
