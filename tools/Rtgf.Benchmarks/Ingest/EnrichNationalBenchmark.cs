using System.Diagnostics;
using System.Globalization;
using System.Text.Json.Nodes;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Azure.Connections;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Benchmarks.Startup;
using Rtgf.Ingestion.Enrichment;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Enrichment;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Messages;
using Rtgf.Tooling;
using Rtgf.UpstreamSimulator;

namespace Rtgf.Benchmarks.Ingest;

/// <summary>
/// <c>enrich-national [page-size]</c>: the national world's RTOs in the TGA mirror (Azurite), then one enrichment run through
/// the self-chain: the timer's start, then every <c>rtgf-enrich-sync</c> message taken off the real queue and handed to the
/// worker one at a time, as the host does, against the simulator's geocoder limited to 50 requests in any second (and its
/// docs and trust proxies). Reports the time to complete, the geocoder's requests and rate-limit violations (must be 0),
/// pages, and peak memory.
/// </summary>
internal static class EnrichNationalBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var pageSize = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 50;
        var clock = BenchClock.System;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(RepositoryLayout.FindRoot()));
        await using var simulator = await SimulatorServer.StartAsync(new SimulatorOptions { Corpus = SimulatorCorpus.National, Seed = 42, TimeProvider = clock, GeocoderRequestsPerSecond = 50 });
        var tables = new TableRecordTables(new TableServiceClient(azurite.ConnectionString));
        var states = new TableSourceStateStore(new TableServiceClient(azurite.ConnectionString));

        var seed = clock.GetTimestamp();
        var mirror = new TgaMirror(tables);
        var rtos = simulator.World.Rtos.Where(r => r.Deleted is null).ToList();
        await Parallel.ForEachAsync(rtos, new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (r, token) =>
        {
            var record = new RtoRecord(r.Code, r.LegalName, r.Abn, [r.TradingName], "Current", r.RegistrationManager, r.RegistrationStart, r.RegistrationEnd, r.Updated)
            {
                Locations = [new RtoAddress("AUS", r.Address.Line1, null, r.Address.Postcode, r.Address.State, r.Address.Suburb)],
                Websites = [r.Website],
            };
            await mirror.ApplyOrganisationAsync(new OrganisationDetails(record, []), r.Updated, "bench", token);
        });
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"mirror seeded with {rtos.Count} RTOs in {clock.GetElapsedTime(seed).TotalSeconds:0.0} s"));

        // One factory per upstream: the pipeline keeps limiters per host, and the three share the simulator's.
        using var geocoderFactory = new OutboundHttpClientFactory(clock, NullLoggerFactory.Instance);
        using var proxyFactory = new OutboundHttpClientFactory(clock, NullLoggerFactory.Instance);
        var geocoderOptions = UpstreamSettings.Geocoder(key => key == "Upstream:Geocoder:BaseUrl" ? simulator.BaseAddress.AbsoluteUri : null);
        using var geocoderHttp = geocoderFactory.CreateClient(geocoderOptions);
        using var docsHttp = proxyFactory.CreateClient(new OutboundOptions { Name = "docs-proxy", BaseAddress = new Uri(simulator.BaseAddress, "docs-proxy/"), MaxConcurrency = 4 });
        using var trustFactory = new OutboundHttpClientFactory(clock, NullLoggerFactory.Instance);
        using var trustHttp = trustFactory.CreateClient(new OutboundOptions { Name = "trust-proxy", BaseAddress = new Uri(simulator.BaseAddress, "trust-proxy/"), MaxConcurrency = 4 });
        var connection = StorageConnection.FromConnectionString(azurite.ConnectionString);
        var sender = new CountingSender(new StorageQueueSender(connection));
        var worker = new EnrichSyncWorker(
            tables, new EnrichRunStore(tables), states, sender,
            new GeocoderClient(geocoderHttp, SimulatorOptions.DefaultGeocoderApiKey, clock), new DocsProxyClient(docsHttp), new TrustProxyClient(trustHttp),
            new EnrichOptions { PageSize = pageSize }, clock);
        var queue = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding }).GetQueueClient(PipelineQueues.EnrichSync);

        var start = clock.GetTimestamp();
        var started = await worker.StartAsync();
        var deliveries = 0;
        var maxSends = 0;
        var lastReport = clock.GetTimestamp();
        EnrichOutcome? last = started;
        while (true)
        {
            var message = (await queue.ReceiveMessageAsync(TimeSpan.FromMinutes(5))).Value;
            if (message is null)
            {
                break;
            }

            deliveries++;
            var before = sender.Sends;
            last = await worker.RunPageAsync(EnrichSyncWorker.ReadMessage(message.Body.ToString()));
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            maxSends = Math.Max(maxSends, sender.Sends - before); // the sends this delivery really made, not what its outcome says
            if (clock.GetElapsedTime(lastReport).TotalSeconds >= 30)
            {
                lastReport = clock.GetTimestamp();
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"  {clock.GetElapsedTime(start).TotalSeconds:0} s: page {last.Run?.Page}, {last.Run?.Done}/{last.Run?.Total} RTOs"));
            }
        }

        var seconds = clock.GetElapsedTime(start).TotalSeconds;
        var run = (await new EnrichRunStore(tables).GetCurrentAsync())!.Value.Run;
        using var admin = new HttpClient { BaseAddress = simulator.BaseAddress };
        var geocoder = JsonNode.Parse(await admin.GetStringAsync("_sim/geocoder"))!;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"enrich-national: run {run.RunId} {run.Status}: {run.Done}/{run.Total} RTOs in {run.Page} pages of {pageSize}, {deliveries} deliveries, at most {maxSends} successor per delivery, {seconds:0.0} s ({run.Done / seconds:0.0} RTOs/s)"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"geocoder: {geocoder["requests"]} requests, {geocoder["answered"]} answered, {geocoder["repeats"]} repeats, {geocoder["violations"]} rate-limit violations, peak {geocoder["peakPerSecond"]} in a second (limit 50, client {geocoderOptions.RateLimitPermits}/s); found {run.Geocoded}, no result {run.NoResult}, no address {run.NoAddress}; websites {run.Websites}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"peak working set {Process.GetCurrentProcess().PeakWorkingSet64 / (1024.0 * 1024):0} MiB (simulator world and Azurite client included); {Environment.ProcessorCount} cores"));
        return run.Status == EnrichRunStatus.Done && (int)geocoder["violations"]! == 0 && maxSends <= 1 ? 0 : 1;
    }

    /// <summary>Counts the messages the worker really sends (a bounded fan-out is at most one per delivery).</summary>
    private sealed class CountingSender(IDelayedQueueSender inner) : IDelayedQueueSender
    {
        private int _sends;

        public int Sends => Volatile.Read(ref _sends);

        public async Task SendAsync(string queueName, string message, TimeSpan delay, CancellationToken cancellationToken = default)
        {
            await inner.SendAsync(queueName, message, delay, cancellationToken);
            Interlocked.Increment(ref _sends);
        }
    }
}
