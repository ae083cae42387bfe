namespace Rtgf.Functions.Workers;

/// <summary>The ingest workers (issue 5): TGA sync/ingest fan-out, CRICOS, TEQSA and DFAT sanctions timers.</summary>
internal static class IngestWorkers
{
    public static WebApplicationBuilder AddIngestWorkers(this WebApplicationBuilder builder) => builder;
}
