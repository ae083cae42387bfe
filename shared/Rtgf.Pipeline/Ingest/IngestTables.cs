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

    /// <summary>Blob container of raw upstream payloads.</summary>
    public const string RawContainer = "rtgf-raw";

    /// <summary>Blob container of snapshots.</summary>
    public const string SnapshotContainer = "rtgf-snapshots";
}
