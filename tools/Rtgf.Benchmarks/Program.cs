using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Jobs;
using BenchmarkDotNet.Running;
using BenchmarkDotNet.Toolchains.InProcess.Emit;
using Rtgf.Benchmarks.Ingest;
using Rtgf.Benchmarks.Publishing;
using Rtgf.Benchmarks.Startup;
using Rtgf.Benchmarks.Trust;

// `startup [rounds]`: process start to first 200 for the local runner, the app's worker through our host and a minimal ASP.NET Core app, interleaved.
if (args is ["startup", .. var rest])
{
    return await StartupBenchmark.RunAsync(rest);
}

// `verify-vs-openssl [seconds]`: our ES256 verify rate next to `openssl speed ecdsap256`, measured in the same run.
if (args is ["verify-vs-openssl", .. var verifyArgs])
{
    return await VerifyVsOpenSsl.RunAsync(verifyArgs);
}

// `archive-throughput [sessions] [batch]`: session archives per session vs batched, local key vs stand-in Key Vault (sessions/s, size overhead), then session-archiver on Azurite.
if (args is ["archive-throughput", .. var archiveArgs])
{
    return await Rtgf.Benchmarks.Archives.ArchiveThroughputBenchmark.RunAsync(archiveArgs);
}

// `sign-volume [tokens] [kv-ops-per-second]`: a publication signed with the issuer key in (stand-in) Key Vault.
if (args is ["sign-volume", .. var signArgs])
{
    return await SigningVolumeBenchmark.RunAsync(signArgs);
}

// `compile-national [runs] [seed]`: the token compiler over the simulator's national corpus (time, tokens/s, memory, determinism).
if (args is ["compile-national", .. var compileArgs])
{
    return Rtgf.Benchmarks.Compiler.CompileNationalBenchmark.Run(compileArgs);
}

// `publish-chain [tokens]`: snapshot → compile → QA → sign → log → registry against Azurite, then a revoking build.
if (args is ["publish-chain", .. var chainArgs])
{
    return await PublishChainBenchmark.RunAsync(chainArgs);
}

// `publish-national [seed]`: the real compiler over the national world → QA → sign → log → registry against Azurite, then a month of churn.
if (args is ["publish-national", .. var publishNationalArgs])
{
    return await PublishNationalBenchmark.RunAsync(publishNationalArgs);
}

// `national-sync [parallel-batches]`: a full TGA sync + ingest and the other sources against the national simulator and Azurite.
if (args is ["national-sync", .. var nationalArgs])
{
    return await NationalSyncBenchmark.RunAsync(nationalArgs);
}

// `radar-national [seed]`: the radar crawl over a month of national churn (TGA, tender, magda snapshots) against Azurite.
if (args is ["radar-national", .. var radarArgs])
{
    return await Rtgf.Benchmarks.Radar.RadarNationalBenchmark.RunAsync(radarArgs);
}

// `enrich-national [page-size]`: the national RTOs through the enrichment self-chain (real queue on Azurite) with the geocoder simulator at 50 requests/s.
if (args is ["enrich-national", .. var enrichArgs])
{
    return await Rtgf.Benchmarks.Ingest.EnrichNationalBenchmark.RunAsync(enrichArgs);
}

// `ivi-national [parses]`: the national IVI ANZSCO4 workbook's parse rate (MB/s) and one ivi-sync against the simulator and Azurite.
if (args is ["ivi-national", .. var iviArgs])
{
    return await IviNationalBenchmark.RunAsync(iviArgs);
}

// `osl-national [rounds]`: the Occupation Shortage List workbook's parse rate (MB/s) and a national osl-sync against the simulator and Azurite.
if (args is ["osl-national", .. var oslArgs])
{
    return await OslNationalBenchmark.RunAsync(oslArgs);
}

// `tender-backfill [days]`: tender-sync back-filling a year of the national simulator's AusTender releases into Azurite.
if (args is ["tender-backfill", .. var tenderArgs])
{
    return await TenderBackfillBenchmark.RunAsync(tenderArgs);
}

// `national-e2e`: the local runner with --corpus national on empty storage: start to first publication, and an upstream change to a revoked verdict.
if (args is ["national-e2e", .. var e2eArgs])
{
    return await Rtgf.Benchmarks.EndToEnd.NationalEndToEndBenchmark.RunAsync(e2eArgs);
}

// `verify-load [seconds] [connections]`: POST /verify through the runner's hop to the app's worker (gRPC host + HTTP) over a real publication in Azurite, interleaved with the in-process verify rate.
if (args is ["verify-load", .. var loadArgs])
{
    return await Rtgf.Benchmarks.Load.VerifyLoadBenchmark.RunAsync(loadArgs);
}

// `verify-observability [seconds] [connections]`: POST /verify with tracing + traffic logging off against on, two workers in alternating rounds (docs/spec/telemetry.md#overhead).
if (args is ["verify-observability", .. var observabilityArgs])
{
    return await Rtgf.Benchmarks.Load.ObservabilityOverheadBenchmark.RunAsync(observabilityArgs);
}

// `public-api-load [seconds] [connections]`: GET /v1/search and /v1/rtos/{code} with an API key next to POST /verify through the runner's hop over a published simulated world, interleaved.
if (args is ["public-api-load", .. var publicApiArgs])
{
    return await Rtgf.Benchmarks.Load.PublicApiLoadBenchmark.RunAsync(publicApiArgs);
}

// `search [rounds] [seed]`: the register's search index over the national world: build time and memory, query p50/p99 over a fixed mix.
if (args is ["search", .. var searchArgs])
{
    return await Rtgf.Benchmarks.Search.SearchBenchmark.RunAsync(searchArgs);
}

// `stats-national [seed]`: the statistics of a national publication (with national-scale OSL, IVI and ABS snapshots) computed and stored by the stats-cache worker against Azurite.
if (args is ["stats-national", .. var statsArgs])
{
    return await Rtgf.Benchmarks.Stats.StatsNationalBenchmark.RunAsync(statsArgs);
}

// `register-national [rounds] [seed]`: a register generation (records + index + stats) from the national world's snapshots: build time, memory, /v1/rtos-style filters and pages in process.
if (args is ["register-national", .. var registerArgs])
{
    return await Rtgf.Benchmarks.Search.RegisterNationalBenchmark.RunAsync(registerArgs);
}

// `access [requests]`: the API access gate per request in process (no-op baseline, anonymous, cached key with limits) against Azurite.
if (args is ["access", .. var accessArgs])
{
    return await Rtgf.Benchmarks.Access.AccessBenchmark.RunAsync(accessArgs);
}

// `webhooks [events]`: POST /hooks/stripe acknowledgement latency (p50/p99) through the real app on Azurite, then dispatch throughput.
if (args is ["webhooks", .. var webhookArgs])
{
    return await Rtgf.Benchmarks.Webhooks.WebhookBenchmark.RunAsync(webhookArgs);
}

// `qb-reconcile [invoices]`: the QuickBooks reconcile of N paid Stripe invoices against the stand-ins: time, QuickBooks calls per invoice.
if (args is ["qb-reconcile", .. var reconcileArgs])
{
    return await Rtgf.Benchmarks.QuickBooks.QuickBooksReconcileBenchmark.RunAsync(reconcileArgs);
}

// `abs-sync [iterations]`: SDMX-JSON parse rate and a national abs-sync (jsa-proxy translation, simulator, Azurite).
if (args is ["abs-sync", .. var absArgs])
{
    return await Rtgf.Benchmarks.Ingest.AbsSyncBenchmark.RunAsync(absArgs);
}

// Everything else is BenchmarkDotNet, in process: it does not generate and build projects (which would inherit this repo's strict build).
var config = DefaultConfig.Instance
    .AddJob(Job.Default.WithToolchain(InProcessEmitToolchain.Instance).WithWarmupCount(3).WithIterationCount(10))
    .WithArtifactsPath(Path.Combine(Rtgf.Tooling.RepositoryLayout.FindRoot(), "artifacts", "benchmarks"));
BenchmarkSwitcher.FromAssembly(typeof(Rtgf.Benchmarks.FixedClock).Assembly).Run(args, config);
return 0;
