namespace Rtgf.LocalRunner.Hosting;

/// <summary>Where the handler's upstream settings point in a local run.</summary>
internal enum UpstreamMode
{
    /// <summary>Start the upstream simulator in process and point every connector at it (unless a setting says otherwise).</summary>
    Simulator,

    /// <summary>Start nothing; the handler gets whatever the Upstream settings say.</summary>
    None,
}
