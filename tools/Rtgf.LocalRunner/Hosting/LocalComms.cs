using Rtgf.UpstreamSimulator;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// Email and SMS of a local run: the app's Resend and Cellcast clients pointed at the upstream simulator, which records
/// every message instead of sending it (read them at <c>GET {simulator}/_sim/comms/sent</c>). The keys are the
/// simulator's made-up local ones; nothing leaves the machine.
/// </summary>
internal static class LocalComms
{
    public const string From = "RTGF (local) <noreply@rtgf.localhost.test>";

    /// <summary>The Resend and Cellcast settings (environment form, <c>__</c> for <c>:</c>) that point the app at a simulator.</summary>
    public static IReadOnlyList<KeyValuePair<string, string>> Settings(Uri simulator)
    {
        var root = simulator.AbsoluteUri.TrimEnd('/') + "/";
        return
        [
            new("Resend__ApiBase", root),
            new("Resend__ApiKey", SimulatorOptions.DefaultResendApiKey),
            new("Resend__From", From),
            new("Cellcast__ApiBase", root),
            new("Cellcast__ApiKey", SimulatorOptions.DefaultCellcastApiKey),
        ];
    }
}
