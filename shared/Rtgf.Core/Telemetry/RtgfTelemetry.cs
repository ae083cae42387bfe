using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace Rtgf.Core.Telemetry;

/// <summary>
/// The app's own activity source and meter (docs/spec/telemetry.md): every span and metric RTGF emits itself comes from
/// these two, registered with OpenTelemetry by name. Instrument names and units are listed in the spec.
/// </summary>
public static class RtgfTelemetry
{
    public const string Name = "Rtgf";

    public static readonly ActivitySource Source = new(Name);

    public static readonly Meter Meter = new(Name);
}
