namespace Rtgf.StripeStandIn;

/// <summary>An event as emitted: its id, type and the exact JSON body every delivery of it carries.</summary>
internal sealed record StandInEvent(string Id, string Type, long Created, string Body);
