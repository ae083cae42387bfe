namespace Rtgf.UpstreamSimulator.World;

/// <summary>Registration status of an organisation: current, lapsed (registration period ended) or cancelled by the regulator.</summary>
internal enum RtoStatus
{
    Current,
    NonCurrent,
    Cancelled,
}
