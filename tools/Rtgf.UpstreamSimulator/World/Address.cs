namespace Rtgf.UpstreamSimulator.World;

/// <summary>A street or postal address in Australia.</summary>
internal sealed record Address(string Line1, string Suburb, string State, string Postcode);
