namespace Rtgf.UpstreamSimulator.Faults;

/// <summary>
/// Misbehave on requests whose path starts with <see cref="RoutePrefix"/> ("/" for all), for the next
/// <see cref="Count"/> of them (null: until cleared). <see cref="Target"/> is the other host of
/// <see cref="FaultMode.Redirect"/> and <see cref="FaultMode.ForeignLinks"/>.
/// </summary>
public sealed record FaultRule(string RoutePrefix, FaultMode Mode, int? Count = null, TimeSpan? Delay = null, int RetryAfterSeconds = 1, Uri? Target = null);
