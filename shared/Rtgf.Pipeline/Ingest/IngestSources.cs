namespace Rtgf.Pipeline.Ingest;

/// <summary>Source names (snapshot sources, ingest-runs partitions, raw blob prefixes) and the tables the workers write.</summary>
public static class IngestSources
{
    public const string Tga = "tga";
    public const string Cricos = "cricos";
    public const string Teqsa = "teqsa";
    public const string Sanctions = "sanctions";

    public static IReadOnlyList<string> All { get; } = [Cricos, Sanctions, Teqsa, Tga];
}
