using Azure.Data.Tables;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Pipeline.Radar;
using Rtgf.Azure.Snapshots;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Radar;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Radar;

/// <summary>The radar's stores on Azurite under names of their own, the sources' snapshots and a manual clock.</summary>
internal sealed class RadarWorld
{
    private readonly TableServiceClient _tables;

    public RadarWorld(AzuriteFixture azurite)
    {
        var prefix = azurite.UniqueName("radar");
        _tables = azurite.TableService();
        Prefix = prefix;
        Snapshots = new BlobSnapshotStore(azurite.BlobService().GetBlobContainerClient(prefix + "snapshots"));
        States = new TableSourceStateStore(_tables, prefix);
        Runs = new TableIngestRunLog(_tables, prefix);
        Items = new TableRadarItemStore(_tables, prefix);
    }

    public string Prefix { get; }

    public ManualTimeProvider Time { get; } = new(new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero));

    public BlobSnapshotStore Snapshots { get; }

    public TableSourceStateStore States { get; }

    public TableIngestRunLog Runs { get; }

    public TableRadarItemStore Items { get; }

    public TgaWorld Tga { get; } = TgaWorld.Sample();

    public List<ISnapshotRecord> Tender { get; } = [new TestContract("CN4000001", "r1", "Existing contract", ["90001"])];

    public List<ISnapshotRecord> Magda { get; } = [new TestDataset("ds-1", "Total VET students", [("r1", "2024 data", "sha256:aa")])];

    /// <summary>Counts the snapshot reads the radar makes.</summary>
    public CountingSnapshotStore Reads => _reads ??= new CountingSnapshotStore(Snapshots);

    private CountingSnapshotStore? _reads;

    public RadarCrawlWorker Worker(IRadarItemStore? items = null, ISourceStateStore? states = null, TimeProvider? time = null) =>
        new(Reads, items ?? Items, Runs, states ?? States, time ?? Time);

    public RadarFeed Feed => new(Items, States);

    /// <summary>
    /// Cuts the current TGA, tender and magda snapshots (unchanged ones are no-ops in the store) and, as each source's
    /// worker does right after the write, records each digest in the source's state row (what the radar plans from).
    /// </summary>
    public async Task PublishAsync()
    {
        await PublishAsync(RadarSnapshots.Tga(Tga));
        await PublishAsync(RadarSnapshots.Build(IngestSources.Tender, Tender));
        await PublishAsync(RadarSnapshots.Build(IngestSources.Magda, Magda));
    }

    /// <summary>Writes one snapshot and records its digest in the source's state row.</summary>
    public async Task PublishAsync(Snapshot snapshot)
    {
        var written = await Snapshots.WriteAsync(snapshot);
        await States.UpdateAsync(snapshot.Manifest.Source, s => s with { SnapshotDigest = written.Manifest.Digest });
    }

    /// <summary>The next crawl a second later (run ids are per second).</summary>
    public Task<RadarCrawlOutcome> CrawlAsync(IRadarItemStore? items = null, ISourceStateStore? states = null)
    {
        Time.Advance(TimeSpan.FromSeconds(1));
        return Worker(items, states).RunAsync(IngestTrigger.Timer);
    }

    /// <summary>Every stored item, by partition then row key.</summary>
    public async Task<List<RadarItem>> AllItemsAsync()
    {
        var table = _tables.GetTableClient(Prefix + IngestTables.RadarItems);
        var result = new List<RadarItem>();
        try
        {
            await foreach (var e in table.QueryAsync<TableEntity>())
            {
                result.Add(new RadarItem(
                    e.GetString("Id"), e.GetString("Kind"), e.PartitionKey, e.GetString("Subject"), e.GetString("Title"), e.GetString("Detail"),
                    e.GetString("Source"), e.GetString("SnapshotDigest"), e.GetInt64("Sequence") ?? 0, e.GetDateTimeOffset("ObservedAt")!.Value));
            }
        }
        catch (global::Azure.RequestFailedException e) when (e.Status == 404)
        {
            // no item was ever written
        }

        return [.. result.OrderBy(i => i.Rto, StringComparer.Ordinal).ThenBy(i => i.RowKey, StringComparer.Ordinal)];
    }

    /// <summary>A month's worth of change in every source: a unit superseded, a scope row added, a contract, a tender, a dataset update.</summary>
    public void Churn()
    {
        Tga.Supersede("BSBWHS411", "BSBWHS521");
        Tga.Scope.Add(("90003", "BSBWHS521"));
        Tender.Add(new TestContract("CN4000002", "r1", "Foundation skills", ["90002"]));
        Tender.Add(new TestTender("ATM-7", "VET delivery panel", ["86111600"]));
        Magda[0] = new TestDataset("ds-1", "Total VET students", [("r1", "2024 data", "sha256:a2")]);
    }

    /// <summary>The (partition, kind, subject) of the items <see cref="Churn"/> raises.</summary>
    public static IReadOnlyList<(string, string, string)> ChurnItems { get; } =
    [
        ("90001", RadarKinds.ComponentSuperseded, "BSBWHS411"),
        ("90002", RadarKinds.ComponentSuperseded, "BSBWHS411"),
        ("90002", RadarKinds.ContractAwarded, "CN4000002"),
        ("90003", RadarKinds.ScopeChanged, "BSBWHS521"),
        (RadarItem.Broadcast, RadarKinds.DatasetUpdated, "ds-1"),
        (RadarItem.Broadcast, RadarKinds.TenderPublished, "ATM-7"),
    ];
}

/// <summary>An <see cref="ISnapshotStore"/> that counts reads (the radar should read snapshots only for the steps it applies).</summary>
internal sealed class CountingSnapshotStore(ISnapshotStore inner) : ISnapshotStore
{
    private int _reads;

    public int Count => Volatile.Read(ref _reads);

    public Task<SnapshotWriteResult> WriteAsync(Snapshot snapshot, CancellationToken cancellationToken = default) => inner.WriteAsync(snapshot, cancellationToken);

    public Task<Snapshot?> GetLatestAsync(string source, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetLatestAsync(source, cancellationToken);
    }

    public Task<Snapshot?> GetAsync(string source, string digest, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.GetAsync(source, digest, cancellationToken);
    }
}

/// <summary>Thrown in place of a write, as if the process died before it.</summary>
internal sealed class RadarCrashException(string where) : Exception("Injected crash " + where + ".");

/// <summary>Writes the next <paramref name="keep"/> items (over however many calls), then crashes once (keep 0: before any write).</summary>
internal sealed class CrashingItemStore(IRadarItemStore inner, int keep) : IRadarItemStore
{
    private int _left = keep;
    private bool _crashed;

    public async Task AddAsync(IReadOnlyList<RadarItem> items, CancellationToken cancellationToken = default)
    {
        if (_crashed || items.Count < _left)
        {
            _left -= _crashed ? 0 : items.Count;
            await inner.AddAsync(items, cancellationToken);
            return;
        }

        _crashed = true;
        await inner.AddAsync([.. items.Take(_left)], cancellationToken);
        throw new RadarCrashException("after the items it was allowed to write");
    }

    public Task<IReadOnlyList<RadarItem>> ReadAsync(string partition, string? after, string before, int limit, CancellationToken cancellationToken = default) =>
        inner.ReadAsync(partition, after, before, limit, cancellationToken);
}

/// <summary>Fails every write the same way, as a deterministic failure applying a plan would.</summary>
internal sealed class FailingItemStore : IRadarItemStore
{
    private int _calls;

    public int Calls => Volatile.Read(ref _calls);

    public Task AddAsync(IReadOnlyList<RadarItem> items, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _calls);
        // Long, as real errors can be: the poisoned plan's instruction must survive the run error's 1,000-character cut.
        throw new InvalidOperationException("Injected: a deterministic failure." + new string('.', 1200));
    }

    public Task<IReadOnlyList<RadarItem>> ReadAsync(string partition, string? after, string before, int limit, CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<RadarItem>>([]);
}

/// <summary>Crashes instead of the <paramref name="crashAt"/>th state update (1-based), once.</summary>
internal sealed class CrashingStateStore(ISourceStateStore inner, int crashAt) : ISourceStateStore
{
    private int _updates;

    public Task<SourceState> GetAsync(string source, CancellationToken cancellationToken = default) => inner.GetAsync(source, cancellationToken);

    public Task<SourceState> UpdateAsync(string source, Func<SourceState, SourceState> change, CancellationToken cancellationToken = default) =>
        Interlocked.Increment(ref _updates) == crashAt
            ? throw new RadarCrashException($"before state update #{crashAt}")
            : inner.UpdateAsync(source, change, cancellationToken);
}
