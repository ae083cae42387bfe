namespace Rtgf.Pipeline.Ingest;

/// <summary>Source names (snapshot sources, ingest-runs partitions, raw blob prefixes) and the tables the workers write.</summary>
public static class IngestSources
{
    public const string Tga = "tga";
    public const string Cricos = "cricos";
    public const string Teqsa = "teqsa";
    public const string Sanctions = "sanctions";

    /// <summary>Jobs and Skills Australia's Occupation Shortage List (yearly XLSX).</summary>
    public const string Osl = "osl";

    /// <summary>Jobs and Skills Australia's Internet Vacancy Index (monthly XLSX time series; revisions rewrite history).</summary>
    public const string Ivi = "ivi";

    /// <summary>The ABS Data API (SDMX): the labour-force and population series by state.</summary>
    public const string Abs = "abs";

    /// <summary>AusTender's OCDS contract notices and its approaches to market (<c>tender-sync</c>, incremental by last-modified window).</summary>
    public const string Tender = "tender";

    /// <summary>data.gov.au's catalogue (Magda/CKAN): the watched datasets and searches (<c>magda-monitor</c>).</summary>
    public const string Magda = "magda";

    /// <summary>Public holidays per state and the regulatory key dates (<c>calendar-sync</c>).</summary>
    public const string Calendar = "calendar";

    /// <summary>The per-RTO radar built from the other sources' changes (<c>radar-crawl</c>, cursor per source).</summary>
    public const string Radar = "radar";

    /// <summary>The enrichment of RTOs: geocodes, document metadata and trust signals (<c>enrich-sync</c>, a self-chaining queue).</summary>
    public const string Enrich = "enrich";

    public static IReadOnlyList<string> All { get; } = [Abs, Calendar, Cricos, Enrich, Ivi, Magda, Osl, Radar, Sanctions, Teqsa, Tender, Tga];
}
