namespace Rtgf.Functions.Workers;

/// <summary>The queue-triggered pipeline stages (issue 6): compile, QA (determinism harness) and publish.</summary>
internal static class PipelineStages
{
    public static WebApplicationBuilder AddPipelineStages(this WebApplicationBuilder builder) => builder;
}
