namespace Rtgf.UpstreamSimulator.World;

/// <summary>TGA's UsageRecommendationState (Deewr.Tga.Model), minus Unknown which the simulator never assigns.</summary>
internal enum UsageState
{
    Current,
    Superseded,
    Deleted,
}
