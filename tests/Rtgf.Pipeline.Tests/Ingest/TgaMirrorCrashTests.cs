using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>A component's releases are written after its row: a failure in between must be finished by the redelivery.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TgaMirrorCrashTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset Modified = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    private IngestHarness _h = null!;

    public async Task InitializeAsync() => _h = await IngestHarness.StartAsync(azurite);

    public async Task DisposeAsync() => await _h.DisposeAsync();

    [Fact]
    public async Task ApplyComponent_FailureBetweenRowAndReleases_IsFinishedByTheRedelivery()
    {
        var component = Component(releases: 150); // two release transactions
        var failing = new TgaMirror(new FailingReleases(_h.Tables, failOnSubmit: 2));

        await Assert.ThrowsAsync<IOException>(() => failing.ApplyComponentAsync(component, Modified, "run-1"));
        Assert.Equal(100, (await _h.Mirror.Releases.GetPartitionAsync("BSB50120")).Count);

        // The redelivery of the same message (same run) sees the component row unchanged, and still completes its releases.
        Assert.Equal(50, await _h.Mirror.ApplyComponentAsync(component, Modified, "run-1"));
        Assert.Equal(150, (await _h.Mirror.Releases.GetPartitionAsync("BSB50120")).Count);

        // Another run with the same content changes nothing and reads no releases it need not.
        Assert.Equal(0, await _h.Mirror.ApplyComponentAsync(component, Modified, "run-2"));
    }

    private static TrainingComponentRecord Component(int releases) => new(
        "BSB50120", ["Qualification"], "Diploma of Business", "Current", "Current",
        [.. Enumerable.Range(1, releases).Select(i => new ReleaseRecord(i.ToString(System.Globalization.CultureInfo.InvariantCulture), new DateOnly(2020, 1, 1), "Current", []))],
        [], [], [], null, Modified);

    /// <summary>The real tables, but the releases table's <paramref name="failOnSubmit"/>-th transaction fails as a crash would.</summary>
    private sealed class FailingReleases(IRecordTables inner, int failOnSubmit) : IRecordTables
    {
        public IRecordTable Open(string name) =>
            name == IngestTables.TgaReleases ? new Failing(inner.Open(name), failOnSubmit) : inner.Open(name);

        private sealed class Failing(IRecordTable table, int failOn) : IRecordTable
        {
            private int _submits;

            public string Name => table.Name;

            public Task<StoredRow?> GetAsync(string partitionKey, string rowKey, CancellationToken cancellationToken = default) => table.GetAsync(partitionKey, rowKey, cancellationToken);

            public Task<IReadOnlyList<StoredRow>> GetPartitionAsync(string partitionKey, CancellationToken cancellationToken = default) => table.GetPartitionAsync(partitionKey, cancellationToken);

            public Task<bool> TryWriteAsync(MirrorRow row, string? etag, CancellationToken cancellationToken = default) => table.TryWriteAsync(row, etag, cancellationToken);

            public Task<bool> TrySubmitAsync(string partitionKey, IReadOnlyList<RowChange> changes, CancellationToken cancellationToken = default) =>
                Interlocked.Increment(ref _submits) == failOn ? throw new IOException("the instance stopped") : table.TrySubmitAsync(partitionKey, changes, cancellationToken);

            public IAsyncEnumerable<MirrorRow> ReadAllAsync(CancellationToken cancellationToken = default) => table.ReadAllAsync(cancellationToken);
        }
    }
}
