using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Pipeline.Radar;
using Rtgf.Azure.Snapshots;
using Rtgf.Benchmarks.Startup;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Radar;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Benchmarks.Radar;

/// <summary>
/// <c>radar-national [seed]</c>: the national TGA corpus (4,000 RTOs, national components and scope) plus a tender and a
/// magda snapshot, a baseline crawl, then a month of churn — 2% of components superseded, 1% of scope rows changed (half
/// removed, half added), 1% of RTOs with a registration change, 300 contracts awarded to RTOs, 20 new approaches to market
/// (15 in education), 5 of 50 datasets updated — and the crawl that turns it into radar items, over an in-memory Azurite
/// with the real stores. Reports the crawl's time, items written and peak memory.
/// </summary>
internal static class RadarNationalBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seed = args.Length > 0 ? ulong.Parse(args[0], CultureInfo.InvariantCulture) : 42UL;
        var clock = BenchClock.System;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        var tables = new TableServiceClient(azurite.ConnectionString);
        var snapshots = new BlobSnapshotStore(new BlobServiceClient(azurite.ConnectionString).GetBlobContainerClient(IngestTables.SnapshotContainer));
        var items = new TableRadarItemStore(tables);
        var states = new TableSourceStateStore(tables);
        var worker = new RadarCrawlWorker(snapshots, items, new TableIngestRunLog(tables), states, clock);

        var start = clock.GetTimestamp();
        var world = WorldGenerator.National(seed, clock.GetUtcNow());
        var tga = WorldRecords.Tga(world).ToList();
        var rtos = tga.OfType<RtoRecord>().Select(r => r.Code).Order(StringComparer.Ordinal).ToArray();
        var tender = Enumerable.Range(0, 2000).Select(i => (ISnapshotRecord)NewContract(i, "r1", i % 10 == 0 ? [rtos[i % rtos.Length]] : [])).ToList();
        var magda = Enumerable.Range(0, 50).Select(i => (ISnapshotRecord)NewDataset(i, "a")).ToList();
        await WriteAsync(snapshots, states, tga, tender, magda);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"national corpus: {tga.Count} TGA records ({rtos.Length} RTOs, {tga.OfType<TrainingComponentRecord>().Count()} components, {tga.OfType<ScopeRecord>().Count()} scope rows) in {clock.GetElapsedTime(start).TotalSeconds:0.0} s"));

        start = clock.GetTimestamp();
        var baseline = await worker.RunAsync(IngestTrigger.Manual);
        Report("baseline crawl", baseline, clock.GetElapsedTime(start).TotalSeconds);

        var (churned, counts) = Churn(tga, rtos);
        for (var i = 0; i < 300; i++)
        {
            tender.Add(NewContract(10_000 + i, "r1", [rtos[(i * 13) % rtos.Length]]));
        }

        for (var i = 0; i < 20; i++)
        {
            tender.Add(new Atm("ATM-" + i.ToString("D4", CultureInfo.InvariantCulture), i < 15 ? "86101700" : "43211500"));
        }

        for (var i = 0; i < 5; i++)
        {
            magda[i] = NewDataset(i, "b");
        }

        await WriteAsync(snapshots, states, churned, tender, magda);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"churn: {counts.Superseded} components superseded, {counts.ScopeRemoved} scope rows removed, {counts.ScopeAdded} added, {counts.Registrations} registration changes, 300 contracts, 20 tenders, 5 datasets"));

        GC.Collect();
        var before = Process.GetCurrentProcess().PeakWorkingSet64;
        var heapBefore = GC.GetTotalMemory(forceFullCollection: true);
        var allocated = GC.GetTotalAllocatedBytes(precise: true);
        start = clock.GetTimestamp();
        var crawl = await worker.RunAsync(IngestTrigger.Manual);
        var seconds = clock.GetElapsedTime(start).TotalSeconds;
        var crawlAllocated = GC.GetTotalAllocatedBytes(precise: true) - allocated;
        var peakHeap = GC.GetGCMemoryInfo(GCKind.Any).HeapSizeBytes;
        Report("churn crawl", crawl, seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"  allocated by the crawl {crawlAllocated / (1024.0 * 1024):0} MiB; managed heap before it {heapBefore / (1024.0 * 1024):0} MiB, after its last GC {peakHeap / (1024.0 * 1024):0} MiB"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  steps: {string.Join(", ", crawl.Run.StepList.Select(s => $"{s.Name} {s.DurationMs / 1000.0:0.0} s ({s.Count})"))}"));
        var perKind = await CountAsync(items, rtos);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  items per kind: {string.Join(", ", perKind.Select(p => $"{p.Key} {p.Value}"))}"));

        start = clock.GetTimestamp();
        var again = await worker.RunAsync(IngestTrigger.Manual);
        Report("crawl again (no change)", again, clock.GetElapsedTime(start).TotalSeconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB (before the churn crawl {before / (1024.0 * 1024):0} MiB; national world and both snapshots in process); {Environment.ProcessorCount} cores"));
        return crawl.Run.Status == IngestRunStatus.Succeeded ? 0 : 1;
    }

    private static void Report(string what, RadarCrawlOutcome outcome, double seconds) =>
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: {outcome.Run.Status}, {outcome.Plans} plan(s), {outcome.Items} items in {seconds:0.000} s{(outcome.Run.Error is { } e ? " — " + e : "")}"));

    /// <summary>Writes each source's snapshot and names it in the source's state row, as the sources' workers do (what the radar plans from).</summary>
    private static async Task WriteAsync(BlobSnapshotStore store, TableSourceStateStore states, IEnumerable<ISnapshotRecord> tga, IEnumerable<ISnapshotRecord> tender, IEnumerable<ISnapshotRecord> magda)
    {
        var at = new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);
        foreach (var (source, records) in new[] { (IngestSources.Tga, tga), (IngestSources.Tender, tender), (IngestSources.Magda, magda) })
        {
            var written = await store.WriteAsync(SnapshotBuilder.Build(source, "bench", at, [], records));
            await states.UpdateAsync(source, s => s with { SnapshotDigest = written.Manifest.Digest });
        }
    }

    /// <summary>Deterministic churn: every 50th component superseded, every 200th scope row removed and as many added, every 100th RTO's status changed.</summary>
    private static (List<ISnapshotRecord> Records, (int Superseded, int ScopeRemoved, int ScopeAdded, int Registrations) Counts) Churn(List<ISnapshotRecord> tga, string[] rtos)
    {
        var result = new List<ISnapshotRecord>(tga.Count);
        var components = tga.OfType<TrainingComponentRecord>().Select(c => c.Code).ToArray();
        var onScope = tga.OfType<ScopeRecord>().Select(s => s.Key).ToHashSet(StringComparer.Ordinal);
        int superseded = 0, removed = 0, registrations = 0, c = 0, s = 0, r = 0;
        foreach (var record in tga)
        {
            switch (record)
            {
                case TrainingComponentRecord component when c++ % 50 == 0:
                    result.Add(component with { Status = "Superseded", SupersededBy = [component.Code + "A"] });
                    superseded++;
                    break;
                case ScopeRecord when s++ % 200 == 0:
                    removed++;
                    break;
                case RtoRecord rto when r++ % 100 == 0:
                    result.Add(rto with { Status = rto.Status == "Current" ? "Cancelled" : "Current" });
                    registrations++;
                    break;
                default:
                    result.Add(record);
                    break;
            }
        }

        var added = 0;
        for (var i = 0; added < removed; i++)
        {
            var scope = new ScopeRecord(rtos[(i * 7) % rtos.Length], components[(i * 31) % components.Length], ["Unit"], null, false, false, null, new DateOnly(2026, 2, 1), null);
            if (onScope.Add(scope.Key))
            {
                result.Add(scope);
                added++;
            }
        }

        return (result, (superseded, removed, added, registrations));
    }

    private static async Task<SortedDictionary<string, int>> CountAsync(TableRadarItemStore items, string[] rtos)
    {
        var counts = new SortedDictionary<string, int>(StringComparer.Ordinal);
        foreach (var partition in rtos.Append(RadarItem.Broadcast))
        {
            foreach (var item in await items.ReadAsync(partition, null, RadarItem.PlanStart(long.MaxValue / 10), 10_000))
            {
                counts[item.Kind] = counts.GetValueOrDefault(item.Kind) + 1;
            }
        }

        return counts;
    }

    private static Contract NewContract(int i, string release, string[] rtoCodes) => new("CN" + (4_000_000 + i).ToString(CultureInfo.InvariantCulture), release, rtoCodes);

    private static Dataset NewDataset(int i, string version) => new("ds-" + i.ToString("D3", CultureInfo.InvariantCulture), version);

    /// <summary>A tender snapshot's <c>contract:</c> record with the seam's members.</summary>
    private sealed record Contract(string ContractId, string ReleaseId, string[] RtoCodes) : ISnapshotRecord
    {
        public string Key => "contract:" + ContractId;

        public void WriteJson(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteStartArray("amendments");
            writer.WriteEndArray();
            writer.WriteStartObject("buyer");
            writer.WriteString("abn", "12345678901");
            writer.WriteString("name", "Department of Employment and Workplace Relations");
            writer.WriteEndObject();
            writer.WriteStartArray("categories");
            writer.WriteStringValue("86101700");
            writer.WriteEndArray();
            writer.WriteString("contractId", ContractId);
            writer.WriteString("currency", "AUD");
            writer.WriteString("dateSigned", "2026-02-10");
            writer.WriteString("description", "Training services");
            writer.WriteString("endDate", "2027-02-09");
            writer.WriteString("lastModified", "2026-02-11T00:00:00Z");
            writer.WriteString("ocid", "ocds-dhfprg-" + ContractId);
            writer.WriteString("procurementMethod", "open");
            writer.WriteString("releaseId", ReleaseId);
            writer.WriteStartArray("rtoCodes");
            foreach (var code in RtoCodes)
            {
                writer.WriteStringValue(code);
            }

            writer.WriteEndArray();
            writer.WriteString("startDate", "2026-02-10");
            writer.WriteStartArray("suppliers");
            writer.WriteEndArray();
            writer.WriteString("title", "Training services " + ContractId);
            writer.WriteString("value", "98000");
            writer.WriteEndObject();
        }
    }

    /// <summary>A tender snapshot's <c>tender:</c> record (an approach to market).</summary>
    private sealed record Atm(string AtmId, string Category) : ISnapshotRecord
    {
        public string Key => "tender:" + AtmId;

        public void WriteJson(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("agency", "Department of Education");
            writer.WriteStartArray("categories");
            writer.WriteStringValue(Category);
            writer.WriteEndArray();
            writer.WriteString("atmId", AtmId);
            writer.WriteString("closeDate", "2026-04-30");
            writer.WriteString("description", "Approach to market");
            writer.WriteString("publishedDate", "2026-03-01");
            writer.WriteString("title", "Approach " + AtmId);
            writer.WriteString("url", "https://www.tenders.gov.au/Atm/Show/" + AtmId);
            writer.WriteEndObject();
        }
    }

    /// <summary>A magda snapshot's <c>dataset:</c> record with three resources whose fingerprints carry the version.</summary>
    private sealed record Dataset(string Id, string Version) : ISnapshotRecord
    {
        public string Key => "dataset:" + Id;

        public void WriteJson(Utf8JsonWriter writer)
        {
            writer.WriteStartObject();
            writer.WriteString("id", Id);
            writer.WriteString("license", "CC-BY-4.0");
            writer.WriteString("metadataModified", "2026-03-01T00:00:00Z");
            writer.WriteString("name", Id);
            writer.WriteString("organisation", "NCVER");
            writer.WriteStartArray("resources");
            for (var r = 0; r < 3; r++)
            {
                writer.WriteStartObject();
                writer.WriteString("fingerprint", $"sha256:{Id}-{r}-{Version}");
                writer.WriteString("format", "CSV");
                writer.WriteNull("hash");
                writer.WriteString("id", $"{Id}-r{r}");
                writer.WriteString("lastModified", "2026-03-01T00:00:00Z");
                writer.WriteString("name", $"Resource {r}");
                writer.WriteNull("size");
                writer.WriteString("url", $"https://data.gov.au/data/{Id}/{r}.csv");
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
            writer.WriteString("title", "Dataset " + Id);
            writer.WriteString("watch", "search:vet");
            writer.WriteEndObject();
        }
    }
}
