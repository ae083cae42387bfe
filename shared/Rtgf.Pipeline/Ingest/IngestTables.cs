namespace Rtgf.Pipeline.Ingest;

/// <summary>Table and container names of the ingest workers (docs/spec/ingest.md).</summary>
public static class IngestTables
{
    public const string Runs = "ingestruns";
    public const string Watermarks = "watermarks";
    public const string Batches = "ingestbatches";
    public const string DeadLetters = "deadletters";

    public const string TgaComponents = "tgacomponents";
    public const string TgaReleases = "tgareleases";
    public const string TgaOrganisations = "tgaorganisations";
    public const string TgaScope = "tgascope";

    public const string CricosProviders = "cricosproviders";
    public const string CricosCourses = "cricoscourses";
    public const string CricosLocations = "cricoslocations";
    public const string TeqsaProviders = "teqsaproviders";
    public const string SanctionsListings = "sanctionslistings";
    public const string OccupationShortages = "occupationshortages";
    public const string VacancySeries = "vacancyseries";
    public const string LabourSeries = "labourseries";

    /// <summary>AusTender contract notices (the seed's <c>gov_contracts</c>), keyed by contract notice id, with their release history.</summary>
    public const string TenderContracts = "tendercontracts";

    /// <summary>AusTender approaches to market (the seed's <c>gov_tenders</c>).</summary>
    public const string Tenders = "tenders";

    /// <summary>The watched data.gov.au datasets and their resources (hash, modified), as last seen.</summary>
    public const string Datasets = "datasets";

    /// <summary>Public holidays and regulatory key dates (the seed's <c>rto-calendar-db</c>).</summary>
    public const string CalendarDates = "calendardates";

    /// <summary>Per-RTO radar items (the seed's <c>rto-radar-db</c>), one partition per RTO plus one for items every RTO sees.</summary>
    public const string RadarItems = "radaritems";

    /// <summary>Per-RTO enrichment (geocode, document metadata, trust signals).</summary>
    public const string RtoEnrichment = "rtoenrichment";

    /// <summary>The enrichment runs: the self-chain's cursor, page and progress.</summary>
    public const string EnrichRuns = "enrichruns";

    /// <summary>Blob container of raw upstream payloads.</summary>
    public const string RawContainer = "rtgf-raw";

    /// <summary>Blob container of snapshots.</summary>
    public const string SnapshotContainer = "rtgf-snapshots";
}
