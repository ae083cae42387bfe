namespace Rtgf.UpstreamSimulator;

/// <summary>Which world the simulator serves.</summary>
public enum SimulatorCorpus
{
    /// <summary>The fixed sample: 30 RTOs, 42 current components, 150 scope rows, a handful of everything else.</summary>
    Small,

    /// <summary>National scale from <see cref="SimulatorOptions.Seed"/>: 4,000 RTOs, 25,000 current components, 500,000 scope rows.</summary>
    National,
}
