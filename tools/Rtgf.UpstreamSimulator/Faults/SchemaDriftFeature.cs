namespace Rtgf.UpstreamSimulator.Faults;

/// <summary>Set on a request the fault board chose for schema drift: writers then emit their drifted shape.</summary>
internal sealed class SchemaDriftFeature;
