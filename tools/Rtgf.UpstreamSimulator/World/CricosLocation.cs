namespace Rtgf.UpstreamSimulator.World;

/// <summary>A teaching location of a CRICOS provider; the key is (provider code, location name).</summary>
internal sealed record CricosLocation(string ProviderCode, string Name, string Type, Address Address);
