namespace Rtgf.Pipeline.Messages;

/// <summary>The pipeline's queues (Service Bus in Azure, Azurite Storage queues under the local runner). One naming scheme: <c>rtgf-&lt;stage&gt;</c>.</summary>
public static class PipelineQueues
{
    /// <summary>Batches of TGA codes fanned out by <c>tga-sync</c> to <c>tga-ingest</c>.</summary>
    public const string TgaIngest = "rtgf-tga-ingest";

    /// <summary>A new snapshot was cut: compile the latest inputs.</summary>
    public const string Compile = "rtgf-compile";

    /// <summary>A build was compiled: recompile it separately and compare manifests.</summary>
    public const string Qa = "rtgf-qa";

    /// <summary>A build passed QA: sign, log, register, revoke.</summary>
    public const string Publish = "rtgf-publish";

    /// <summary>A publication landed: compute and store the statistics of its build (<c>stats-cache</c>).</summary>
    public const string StatsCache = "rtgf-stats-cache";

    /// <summary>One page of an enrichment run (<c>enrich-sync</c>): each message enqueues at most its successor (the seed's <c>enrich-sync-queue</c>).</summary>
    public const string EnrichSync = "rtgf-enrich-sync";
}
