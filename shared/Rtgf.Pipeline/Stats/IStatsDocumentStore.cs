namespace Rtgf.Pipeline.Stats;

/// <summary>
/// The statistics document of each published build, immutable once written (Blob Storage in production): one per build
/// id, create-only, so duplicate or concurrent writers store it once and readers may cache it for as long as they like.
/// </summary>
public interface IStatsDocumentStore
{
    /// <summary>Stores <paramref name="document"/> for <paramref name="buildId"/> unless one is stored; false (nothing written) when one is.</summary>
    Task<bool> TryCreateAsync(string buildId, ReadOnlyMemory<byte> document, CancellationToken cancellationToken = default);

    /// <summary>The stored document of <paramref name="buildId"/>, or null when none is stored yet.</summary>
    Task<ReadOnlyMemory<byte>?> GetAsync(string buildId, CancellationToken cancellationToken = default);
}
