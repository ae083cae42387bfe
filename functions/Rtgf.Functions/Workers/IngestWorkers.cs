using System.Net;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Pipeline.Ingest;
using Rtgf.Azure.Pipeline.Radar;
using Rtgf.Azure.Snapshots;
using Rtgf.Ingestion.Abs;
using Rtgf.Ingestion.AusTender;
using Rtgf.Ingestion.Calendar;
using Rtgf.Ingestion.Cricos;
using Rtgf.Ingestion.DataGovAu;
using Rtgf.Ingestion.Enrichment;
using Rtgf.Ingestion.Jsa;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Sanctions;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Ingestion.Teqsa;
using Rtgf.Ingestion.Tga;
using Rtgf.Pipeline.Calendar;
using Rtgf.Pipeline.Enrichment;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Radar;
using Rtgf.Pipeline.Watchtower;

namespace Rtgf.Functions.Workers;

/// <summary>The ingest workers (issue 5): TGA sync/ingest fan-out, CRICOS, TEQSA and DFAT sanctions timers, and the ABS timer (issue 17) (docs/spec/ingest.md).</summary>
internal static class IngestWorkers
{
    /// <summary>The sources synced by a feed timer (<see cref="FeedSyncFunctions"/>); TGA has its own sync and ingest.</summary>
    public static IReadOnlyList<string> FeedSources { get; } = [IngestSources.Cricos, IngestSources.Teqsa, IngestSources.Sanctions, IngestSources.Osl, IngestSources.Ivi, IngestSources.Abs, IngestSources.Magda, IngestSources.Calendar];

    public static IHostApplicationBuilder AddIngestWorkers(this IHostApplicationBuilder builder)
    {
        var services = builder.Services;
        services.AddOptions<IngestOptions>().Bind(builder.Configuration.GetSection(IngestOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<IngestOptions>>().Value);
        services.AddSingleton(sp => SyncSchedules.From(key => sp.GetRequiredService<IConfiguration>()[key]));
        services.TryAddSingleton<ISyncStatusReader>(sp => new SyncStatusReader(sp.GetRequiredService<ISourceStateStore>(), sp.GetRequiredService<SyncSchedules>(), sp.GetRequiredService<EnrichRunStore>(), sp.GetRequiredService<EnrichOptions>().RunEvery));

        // Storage: the Table/Blob stores on the SDK clients PlatformServices builds from the RtgfStorage connection.
        services.TryAddSingleton<IIngestRunLog>(sp => new TableIngestRunLog(sp.GetRequiredService<TableServiceClient>()));
        services.TryAddSingleton<ISourceStateStore>(sp => new TableSourceStateStore(sp.GetRequiredService<TableServiceClient>()));
        services.TryAddSingleton<IBatchLedger>(sp => new TableBatchLedger(sp.GetRequiredService<TableServiceClient>()));
        services.TryAddSingleton<IDeadLetterLog>(sp => new TableDeadLetterLog(sp.GetRequiredService<TableServiceClient>()));
        services.TryAddSingleton<IRecordTables>(sp => new TableRecordTables(sp.GetRequiredService<TableServiceClient>()));
        services.TryAddSingleton<IRawPayloadStore>(sp => new BlobRawPayloadStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(IngestTables.RawContainer)));
        services.TryAddSingleton<ISnapshotStore>(sp => new BlobSnapshotStore(sp.GetRequiredService<BlobServiceClient>().GetBlobContainerClient(IngestTables.SnapshotContainer)));

        // Connectors: one outbound pipeline per process; the innermost handler keeps raw payloads of the current run.
        services.TryAddSingleton(sp => new OutboundHttpClientFactory(sp.GetRequiredService<TimeProvider>(), sp.GetRequiredService<ILoggerFactory>()));
        services.AddSingleton(sp =>
        {
            var options = UpstreamSettings.Tga(Setting(sp), sp.GetService<IHostEnvironment>()?.EnvironmentName);
            return new TgaSoapClient(Client(sp, options.Outbound), options);
        });
        services.AddSingleton(sp => new CricosClient(Client(sp, UpstreamSettings.Feed(Setting(sp), "cricos", "Upstream:Cricos:BaseUrl"))));
        services.AddSingleton(sp => new TeqsaClient(Client(sp, UpstreamSettings.Feed(Setting(sp), "teqsa", "Upstream:Teqsa:BaseUrl"))));
        services.AddSingleton(sp => new DfatClient(Client(sp, UpstreamSettings.Feed(Setting(sp), "dfat", "Upstream:Dfat:BaseUrl"))));
#pragma warning disable CA2000 // The client owns the translation handler (it is the outermost handler of its chain).
        services.AddSingleton(sp => new AbsDataClient(Client(sp, UpstreamSettings.Feed(Setting(sp), "abs", "Upstream:Abs:BaseUrl"), new JsaProxyTranslation())));
#pragma warning restore CA2000
        services.AddSingleton(sp => new JsaIviClient(Client(sp, UpstreamSettings.Jsa(Setting(sp)))));
        services.AddKeyedSingleton<IFeedSource>(IngestSources.Ivi, (sp, _) => new IviFeed(
            sp.GetRequiredService<JsaIviClient>(),
            UpstreamSettings.Optional(Setting(sp), "Upstream:Jsa:IviPagePath", UpstreamSettings.DefaultIviPagePath),
            sp.GetRequiredService<TimeProvider>()));
        services.AddKeyedSingleton<IFeedSource>(IngestSources.Cricos, (sp, _) => new CricosFeed(
            sp.GetRequiredService<CricosClient>(),
            new Uri(UpstreamSettings.BaseUrl(Setting(sp), "Upstream:Cricos:BaseUrl"), UpstreamSettings.Optional(Setting(sp), "Upstream:Cricos:ZipPath", UpstreamSettings.DefaultCricosZipPath))));
        services.AddKeyedSingleton<IFeedSource>(IngestSources.Teqsa, (sp, _) => new TeqsaFeed(
            sp.GetRequiredService<TeqsaClient>(),
            UpstreamSettings.BaseUrl(Setting(sp), "Upstream:Teqsa:BaseUrl"),
            UpstreamSettings.Optional(Setting(sp), "Upstream:Teqsa:RegisterPath", UpstreamSettings.DefaultTeqsaRegisterPath)));
        services.AddKeyedSingleton<IFeedSource>(IngestSources.Sanctions, (sp, _) => new SanctionsFeed(
            sp.GetRequiredService<DfatClient>(),
            new Uri(UpstreamSettings.BaseUrl(Setting(sp), "Upstream:Dfat:BaseUrl"), UpstreamSettings.Optional(Setting(sp), "Upstream:Dfat:XlsxPath", UpstreamSettings.DefaultDfatXlsxPath))));
        services.AddSingleton(sp => new JsaOslClient(Client(sp, UpstreamSettings.Jsa(Setting(sp)))));
        services.AddKeyedSingleton<IFeedSource>(IngestSources.Osl, (sp, _) => new OslFeed(
            sp.GetRequiredService<JsaOslClient>(),
            UpstreamSettings.Optional(Setting(sp), "Upstream:Jsa:OslPagePath", UpstreamSettings.DefaultJsaOslPagePath)));

        services.AddKeyedSingleton<IFeedSource>(IngestSources.Abs, (sp, _) => new AbsFeed(
            sp.GetRequiredService<AbsDataClient>(),
            UpstreamSettings.BaseUrl(Setting(sp), "Upstream:Abs:BaseUrl"),
            UpstreamSettings.AbsSeries(Setting(sp)),
            UpstreamSettings.AbsStartPeriod(Setting(sp))));

        // data.gov.au (upstream datagovau): one CKAN client, one HttpClient and pipeline, for magda-monitor's watch list and
        // calendar-sync's holidays.
        services.AddSingleton(sp => new CkanClient(Client(sp, UpstreamSettings.Feed(Setting(sp), "datagovau", "Upstream:DataGovAu:BaseUrl"))));
        services.AddKeyedSingleton<IFeedSource>(IngestSources.Magda, (sp, _) => new MagdaFeed(
            sp.GetRequiredService<CkanClient>(),
            UpstreamSettings.BaseUrl(Setting(sp), "Upstream:DataGovAu:BaseUrl"),
            MagdaWatch.Parse(Setting(sp)(MagdaWatch.Setting))));
        // Calendar (issue 18): holidays from data.gov.au (through the CKAN client above) and the checked-in key dates.
        services.AddSingleton(sp => new PublicHolidaysClient(sp.GetRequiredService<CkanClient>()));
        services.AddSingleton(_ => KeyDates.Load());
        services.AddKeyedSingleton<IFeedSource>(IngestSources.Calendar, (sp, _) => new CalendarFeed(
            sp.GetRequiredService<PublicHolidaysClient>(),
            CalendarSettings.DatasetId(Setting(sp)),
            sp.GetRequiredService<KeyDates>(),
            CalendarSettings.YearsAhead(Setting(sp)),
            sp.GetRequiredService<TimeProvider>(),
            CalendarSettings.YearsBehind(Setting(sp))));
        services.AddSingleton(sp => new CalendarReader(sp.GetRequiredService<ISourceStateStore>(), sp.GetRequiredService<IRecordTables>()));

        // Workers: the classes the tests drive directly.
        services.AddSingleton(sp => new TgaMirror(sp.GetRequiredService<IRecordTables>()));
        services.AddSingleton(sp => new TgaSyncWorker(
            sp.GetRequiredService<TgaSoapClient>(), sp.GetRequiredService<IIngestRunLog>(), sp.GetRequiredService<ISourceStateStore>(),
            sp.GetRequiredService<IBatchLedger>(), sp.GetRequiredService<IRawPayloadStore>(), sp.GetRequiredService<IngestOptions>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new TgaIngestWorker(
            sp.GetRequiredService<TgaSoapClient>(), sp.GetRequiredService<TgaMirror>(), sp.GetRequiredService<IIngestRunLog>(), sp.GetRequiredService<ISourceStateStore>(),
            sp.GetRequiredService<IBatchLedger>(), sp.GetRequiredService<ISnapshotStore>(), sp.GetRequiredService<IDeadLetterLog>(), sp.GetRequiredService<IRawPayloadStore>(),
            sp.GetRequiredService<IngestOptions>(), sp.GetRequiredService<TimeProvider>()));
        foreach (var source in FeedSources)
        {
            services.AddKeyedSingleton(source, (sp, key) => new FeedSyncWorker(
                sp.GetRequiredKeyedService<IFeedSource>(key), sp.GetRequiredService<IRecordTables>(), sp.GetRequiredService<ISnapshotStore>(),
                sp.GetRequiredService<IIngestRunLog>(), sp.GetRequiredService<ISourceStateStore>(), sp.GetRequiredService<IRawPayloadStore>(), sp.GetRequiredService<TimeProvider>()));
        }

        // The radar (docs/spec/radar.md): its items table, the crawl and the feed /v1/rtos/{code}/radar reads.
        services.TryAddSingleton<IRadarItemStore>(sp => new TableRadarItemStore(sp.GetRequiredService<TableServiceClient>()));
        services.AddSingleton(sp => new RadarCrawlWorker(
            sp.GetRequiredService<ISnapshotStore>(), sp.GetRequiredService<IRadarItemStore>(), sp.GetRequiredService<IIngestRunLog>(),
            sp.GetRequiredService<ISourceStateStore>(), sp.GetRequiredService<TimeProvider>()));
        services.AddSingleton(sp => new RadarFeed(sp.GetRequiredService<IRadarItemStore>(), sp.GetRequiredService<ISourceStateStore>()));
        // AusTender (issue 18): tender-sync, incremental over contractLastModified windows (TenderSyncWorker).
        services.AddOptions<TenderSyncOptions>().Bind(builder.Configuration.GetSection(TenderSyncOptions.SectionName));
        services.AddSingleton(sp => new AusTenderClient(Client(sp, AusTenderSettings.Ocds(Setting(sp))), UpstreamSettings.BaseUrl(Setting(sp), AusTenderSettings.BaseUrlSetting)));
        services.AddSingleton(sp => new AtmFeedClient(Client(sp, AusTenderSettings.Atm(Setting(sp))), AusTenderSettings.AtmFeedUrl(Setting(sp))));
        services.AddSingleton(sp => new TenderSyncWorker(
            sp.GetRequiredService<AusTenderClient>(), sp.GetRequiredService<AtmFeedClient>(), sp.GetRequiredService<TgaMirror>(), sp.GetRequiredService<IRecordTables>(),
            sp.GetRequiredService<ISnapshotStore>(), sp.GetRequiredService<IIngestRunLog>(), sp.GetRequiredService<ISourceStateStore>(), sp.GetRequiredService<IRawPayloadStore>(),
            sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<TenderSyncOptions>>().Value, sp.GetRequiredService<TimeProvider>()));
        // Enrichment (issue 18): the self-chain over the mirror; the docs and trust proxies are optional (unset: not called).
        services.AddOptions<EnrichOptions>().Bind(builder.Configuration.GetSection(EnrichOptions.SectionName));
        services.AddSingleton(sp => sp.GetRequiredService<Microsoft.Extensions.Options.IOptions<EnrichOptions>>().Value);
        services.AddSingleton(sp => new EnrichRunStore(sp.GetRequiredService<IRecordTables>()));
        services.AddSingleton(sp => new EnrichSyncWorker(
            sp.GetRequiredService<IRecordTables>(), sp.GetRequiredService<EnrichRunStore>(), sp.GetRequiredService<ISourceStateStore>(), sp.GetRequiredService<IDelayedQueueSender>(),
            new GeocoderClient(Client(sp, UpstreamSettings.Geocoder(Setting(sp))), UpstreamSettings.GeocoderApiKey(Setting(sp)), sp.GetRequiredService<TimeProvider>()),
            UpstreamSettings.OptionalFeed(Setting(sp), "docs-proxy", "Upstream:DocsProxy:BaseUrl") is { } docs ? new DocsProxyClient(Client(sp, docs)) : null,
            UpstreamSettings.OptionalFeed(Setting(sp), "trust-proxy", "Upstream:TrustProxy:BaseUrl") is { } trust ? new TrustProxyClient(Client(sp, trust)) : null,
            sp.GetRequiredService<EnrichOptions>(),
            sp.GetRequiredService<TimeProvider>()));

        return builder;
    }

    private static Func<string, string?> Setting(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>();
        return key => configuration[key];
    }

#pragma warning disable CA2000 // The client owns the handler chain (the factory creates it with disposeHandler: true).
    private static HttpClient Client(IServiceProvider services, OutboundOptions options, DelegatingHandler? translation = null) =>
        services.GetRequiredService<OutboundHttpClientFactory>().CreateClient(options, new RawCaptureHandler(new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            AutomaticDecompression = DecompressionMethods.All,
        }), translation);
#pragma warning restore CA2000
}
