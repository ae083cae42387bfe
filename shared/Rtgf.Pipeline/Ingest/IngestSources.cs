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

    public static IReadOnlyList<string> All { get; } = [Abs, Cricos, Ivi, Osl, Sanctions, Teqsa, Tga];
}
