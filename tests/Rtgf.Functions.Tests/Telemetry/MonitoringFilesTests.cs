using System.Diagnostics.Metrics;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Rtgf.Core.Telemetry;
using Rtgf.Functions.Telemetry;
using Rtgf.Pipeline.Publishing;
using Rtgf.Tooling;

namespace Rtgf.Functions.Tests.Telemetry;

/// <summary>
/// infra/monitoring (alerts as data, the workbook) names only metrics the app emits, in the shapes infra deploys, and
/// docs/spec/telemetry.md documents every instrument.
/// </summary>
public sealed partial class MonitoringFilesTests
{
    private static readonly string Root = RepositoryLayout.FindRoot();

    private static readonly string[] AlertMembers =
        ["name", "severity", "description", "query", "metricMeasureColumn", "timeAggregation", "operator", "threshold", "evaluationFrequency", "windowSize"];

    [Fact]
    public void EveryMetricNamedInAlertsAndTheWorkbook_IsOneTheAppEmits()
    {
        var emitted = EmittedInstrumentNames();
        var queries = Alerts().Select(a => (string)a!["query"]!).Concat(WorkbookQueries()).ToList();
        var named = queries.SelectMany(q => MetricName().Matches(q).Select(m => m.Groups["name"].Value)).Distinct(StringComparer.Ordinal).ToList();

        Assert.True(named.Count >= 10, $"only {named.Count} metric names found in the alerts and workbook");
        Assert.All(named, name => Assert.True(emitted.Contains(name), $"'{name}' is queried but no instrument of the app has that name"));
        // And every instrument of ours shows somewhere an operator looks.
        Assert.All(RtgfMetrics.Names, name => Assert.Contains(name, named));
    }

    [Fact]
    public void Alerts_HaveTheShapeInfraDeploys_AndTheSeedsSeverityMatrix()
    {
        var alerts = Alerts();
        foreach (var alert in alerts)
        {
            var members = alert!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal);
            Assert.Equal(AlertMembers.Order(StringComparer.Ordinal), members);
            Assert.Contains((string)alert["metricMeasureColumn"]!, (string)alert["query"]!, StringComparison.Ordinal);
            Assert.Matches("^PT[0-9]+[MH]$", (string)alert["evaluationFrequency"]!);
            Assert.Matches("^PT[0-9]+[MH]$", (string)alert["windowSize"]!);
        }

        var severities = alerts.ToDictionary(a => (string)a!["name"]!, a => (int)a!["severity"]!, StringComparer.Ordinal);
        Assert.Equal(0, severities["p0-availability"]);
        Assert.Equal(1, severities["p1-revocation-staleness"]);
        Assert.Equal(2, severities["p2-dataset-fetch-failures"]);
    }

    [Fact]
    public void Workbook_IsANotebookDocument_OfTextAndQueryItems()
    {
        var workbook = JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "infra", "monitoring", "workbook.json")))!.AsObject();
        Assert.Equal("Notebook/1.0", (string)workbook["version"]!);
        Assert.NotNull(workbook["fallbackResourceIds"]?.AsArray());
        var items = workbook["items"]!.AsArray();
        Assert.NotEmpty(items);
        Assert.Equal(items.Count, items.Select(i => (string)i!["name"]!).Distinct(StringComparer.Ordinal).Count());
        foreach (var item in items)
        {
            var content = item!["content"]!.AsObject();
            switch ((int)item["type"]!)
            {
                case 1:
                    Assert.False(string.IsNullOrWhiteSpace((string)content["json"]!));
                    break;
                case 3:
                    Assert.Equal("KqlItem/1.0", (string)content["version"]!);
                    Assert.StartsWith("customMetrics | where name == '", (string)content["query"]!, StringComparison.Ordinal);
                    Assert.Equal("microsoft.insights/components", (string)content["resourceType"]!);
                    Assert.False(string.IsNullOrWhiteSpace((string)content["title"]!));
                    break;
                default:
                    Assert.Fail($"workbook item {item["name"]} has type {item["type"]}: only text (1) and query (3) items are used");
                    break;
            }
        }
    }

    [Fact]
    public void TelemetrySpec_DocumentsEveryInstrument()
    {
        var spec = File.ReadAllText(Path.Combine(Root, "docs", "spec", "telemetry.md"));
        Assert.All(RtgfMetrics.Names.Append(PipelineMetrics.DeterminismFailuresName), name => Assert.Contains("`" + name + "`", spec, StringComparison.Ordinal));
    }

    /// <summary>The instruments published on the meters the app exports (a listener sees every one already created).</summary>
    private static HashSet<string> EmittedInstrumentNames()
    {
        _ = RtgfMetrics.Names;
        _ = PipelineMetrics.DeterminismFailures;
        var names = new HashSet<string>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, _) =>
            {
                if (MetricsSnapshot.Meters.Contains(instrument.Meter.Name, StringComparer.Ordinal))
                {
                    lock (names)
                    {
                        names.Add(instrument.Name);
                    }
                }
            },
        };
        listener.Start();
        using var meters = new ServiceCollection().AddMetrics().BuildServiceProvider();
        _ = new Rtgf.Functions.Verification.StatusLists(new SwitchableRevocationReader(), new Rtgf.Testing.ManualTimeProvider(DateTimeOffset.UnixEpoch), meters.GetRequiredService<IMeterFactory>());
        return names;
    }

    private static JsonArray Alerts() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "infra", "monitoring", "alerts.json")))!["alerts"]!.AsArray();

    private static IEnumerable<string> WorkbookQueries() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "infra", "monitoring", "workbook.json")))!["items"]!.AsArray()
            .Select(i => (string?)i!["content"]!["query"]).OfType<string>();

    [GeneratedRegex("name == '(?<name>[a-z0-9._]+)'")]
    private static partial Regex MetricName();
}
