using System.Diagnostics.Metrics;
using Azure.Identity;
using Azure.Monitor.OpenTelemetry.Exporter;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using Rtgf.Core.Telemetry;
using Rtgf.Functions.Composition;
using Rtgf.Functions.Verification;
using Rtgf.Pipeline.Revocation;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Telemetry;

/// <summary>
/// How the worker's telemetry is composed: the Azure Monitor exporter signs in with the app's managed identity (the
/// resource has local auth off), and the revocation gauges are observed at collection time.
/// </summary>
public sealed class TelemetryCompositionTests
{
    [Fact]
    public void AzureMonitorExporter_UsesTheUserAssignedManagedIdentity()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            [TelemetryServices.AppInsightsSetting] = "InstrumentationKey=00000000-0000-0000-0000-000000000001;IngestionEndpoint=https://example.invalid/",
            [Rtgf.Azure.Connections.AppIdentity.ClientIdSetting] = "11111111-2222-3333-4444-555555555555",
        });

        builder.AddRtgfTelemetry();

        using var services = builder.Services.BuildServiceProvider();
        var options = services.GetRequiredService<IOptionsMonitor<AzureMonitorExporterOptions>>().Get(Options.DefaultName);
        var credential = Assert.IsType<ManagedIdentityCredential>(options.Credential);
        Assert.Contains("11111111-2222-3333-4444-555555555555", DescribeIdentity(credential), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RevocationStaleness_KeepsGrowing_WhileEpochReadsFail()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var reader = new SwitchableRevocationReader { Epoch = 3 };
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = meters.GetRequiredService<IMeterFactory>();
        var lists = new StatusLists(reader, clock, factory);
        Assert.Equal(3, await lists.GetEpochAsync(CancellationToken.None));

        reader.Fail = true;
        clock.Advance(TimeSpan.FromSeconds(1_000));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await lists.GetEpochAsync(CancellationToken.None));

        var (staleness, _) = Collect(factory);
        Assert.True(staleness >= 900, $"staleness {staleness}");
    }

    [Fact]
    public async Task RevocationEpochDrift_IsNotOverwrittenByTheNextRequest()
    {
        var clock = new ManualTimeProvider(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
        var reader = new SwitchableRevocationReader { Epoch = 3 };
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var factory = meters.GetRequiredService<IMeterFactory>();
        var lists = new StatusLists(reader, clock, factory);
        Assert.Equal(3, await lists.GetEpochAsync(CancellationToken.None));

        // A token from epoch 5 arrives while the store cannot be read: the verifier still serves 3.
        reader.Fail = true;
        clock.Advance(TimeSpan.FromSeconds(2));
        await Assert.ThrowsAnyAsync<InvalidOperationException>(async () => await lists.GetEpochAsync(5, CancellationToken.None));
        // The next request (no newer epoch of its own) does not reset the drift.
        _ = await lists.GetEpochAsync(0, CancellationToken.None);
        Assert.Equal(2, Collect(factory).Drift);

        reader.Fail = false;
        reader.Epoch = 5;
        clock.Advance(TimeSpan.FromSeconds(10));
        Assert.Equal(5, await lists.GetEpochAsync(5, CancellationToken.None));
        Assert.Equal(0, Collect(factory).Drift);
    }

    private static string DescribeIdentity(ManagedIdentityCredential credential)
    {
        // The client id is not public on the credential; its source/client hold it (what the exporter would present).
        var text = new System.Text.StringBuilder();
        Walk(credential, text, 0, new HashSet<object>(ReferenceEqualityComparer.Instance));
        return text.ToString();
    }

    private static void Walk(object? value, System.Text.StringBuilder text, int depth, HashSet<object> seen)
    {
        if (value is null || depth > 6 || value.GetType().IsPrimitive || !seen.Add(value))
        {
            return;
        }

        if (value is string s)
        {
            text.Append(s).Append(' ');
            return;
        }

        if (value is not global::Azure.Core.TokenCredential && !(value.GetType().Namespace ?? string.Empty).StartsWith("Azure", StringComparison.Ordinal))
        {
            text.Append(value).Append(' ');
            return;
        }

        foreach (var field in value.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Public))
        {
            Walk(field.GetValue(value), text, depth + 1, seen);
        }
    }

    private static (double Staleness, long Drift) Collect(IMeterFactory factory)
    {
        double staleness = -1;
        long drift = -1;
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, factory) && instrument.Meter.Name == RtgfTelemetry.Name)
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) =>
        {
            if (instrument.Name == RtgfMetrics.RevocationStaleness)
            {
                staleness = value;
            }
        });
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) =>
        {
            if (instrument.Name == RtgfMetrics.RevocationEpochDrift)
            {
                drift = value;
            }
        });
        listener.Start();
        listener.RecordObservableInstruments();
        return (staleness, drift);
    }
}

/// <summary>A revocation store whose epoch read answers a set value or fails (the store unreachable).</summary>
internal sealed class SwitchableRevocationReader : IRevocationReader
{
    public long Epoch { get; set; }

    public bool Fail { get; set; }

    public Task<long> GetEpochAsync(CancellationToken cancellationToken = default) =>
        Fail ? Task.FromException<long>(new InvalidOperationException("the revocation store is unreachable")) : Task.FromResult(Epoch);

    public Task<long> GetCompleteEpochAsync(CancellationToken cancellationToken = default) => GetEpochAsync(cancellationToken);

    public Task<RevocationChanges> GetChangesAfterAsync(RevocationFeedPosition after, int max, CancellationToken cancellationToken = default) =>
        throw new NotSupportedException();

    public Task<StatusListDocument?> GetStatusListAsync(string listId, CancellationToken cancellationToken = default) => Task.FromResult<StatusListDocument?>(null);

    public Task<IReadOnlyList<StatusListDocument>> ListStatusListsAsync(CancellationToken cancellationToken = default) =>
        Task.FromResult<IReadOnlyList<StatusListDocument>>([]);

    public Task<RevocationRecord?> GetRevocationAsync(string tokenId, CancellationToken cancellationToken = default) => Task.FromResult<RevocationRecord?>(null);
}
