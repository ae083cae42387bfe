using Rtgf.UpstreamSimulator.Tga;

namespace Rtgf.UpstreamSimulator;

/// <summary>How to start a simulator.</summary>
public sealed class SimulatorOptions
{
    public const string DefaultResendApiKey = "re_sim_local_only";

    public const string DefaultCellcastApiKey = "cellcast-sim-local-only";

    public const string DefaultGeocoderApiKey = "geocoder-sim-local-only";

    public SimulatorCorpus Corpus { get; init; } = SimulatorCorpus.Small;

    /// <summary>Seed of the national corpus (the small sample is fixed).</summary>
    public ulong Seed { get; init; } = 1;

    /// <summary>Initial simulated server time (GetServerTime; stamps of scripted changes). Never the wall clock.</summary>
    public DateTimeOffset Clock { get; init; } = new(2025, 7, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Clock for the slow fault's delays (a manual clock in tests, the system clock in the exe).</summary>
    public required TimeProvider TimeProvider { get; init; }

    public string TgaUsername { get; init; } = "sim-user";

    public string TgaPassword { get; init; } = "sim-password";

    /// <summary>The API key the Resend simulator demands (<c>Authorization: Bearer</c>); made up, local only.</summary>
    public string ResendApiKey { get; init; } = DefaultResendApiKey;

    /// <summary>The APPKEY the Cellcast simulator demands; made up, local only.</summary>
    public string CellcastApiKey { get; init; } = DefaultCellcastApiKey;

    /// <summary>TGA service namespace (the 2011 WSDL's by default); SOAPActions are built from it.</summary>
    public string TgaNamespace { get; init; } = SoapNamespaces.DefaultService;

    /// <summary>The QuickBooks stand-in's app credentials (HTTP Basic at its token endpoint) and its one company (realm).</summary>
    public string QuickBooksClientId { get; init; } = "sim-qb-client";

    public string QuickBooksClientSecret { get; init; } = "sim-qb-secret";

    public string QuickBooksRealmId { get; init; } = "9341453050298815";

    /// <summary>The Google Geocoding API key the geocoder simulator accepts (any other is <c>REQUEST_DENIED</c>); made up, local only.</summary>
    public string GeocoderApiKey { get; init; } = DefaultGeocoderApiKey;

    /// <summary>Geocoder requests allowed in any sliding second (more: <c>OVER_QUERY_LIMIT</c>, counted as a violation); 0 for none.</summary>
    public int GeocoderRequestsPerSecond { get; init; } = 50;

    /// <summary>Port on 127.0.0.1; 0 lets the OS choose.</summary>
    public int Port { get; init; }
}
