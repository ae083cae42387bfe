using System.Text.Json.Nodes;
using NCrontab;
using Rtgf.Pipeline.Operations;

namespace Rtgf.Infra.Tests;

/// <summary>Everything the code names exists in infra/: tables, containers, queues (with poison queues), schedules, alerts.</summary>
[Collection(InfraCollection.Name)]
public sealed class CodeNamesTests(InfraFixture infra)
{
    [Fact]
    public void EveryContainerTheCodeNames_IsDeclared()
    {
        var declared = Declared("Microsoft.Storage/storageAccounts/blobServices/containers");

        Assert.Contains(OperationsStorage.ArchivesContainer, CodeNames.Containers()); // the discovery itself works
        Assert.Contains(OperationsStorage.BackupsContainer, CodeNames.Containers());
        Assert.Empty(CodeNames.Containers().Except(declared));
    }

    [Fact]
    public void EveryTableTheCodeNames_IsDeclared()
    {
        var code = CodeNames.Tables();

        Assert.Contains(OperationsStorage.AuditTable, code);
        Assert.Contains("statshistory", code);
        Assert.True(code.Count >= 40, string.Join(", ", code));
        Assert.Empty(code.Except(Declared("Microsoft.Storage/storageAccounts/tableServices/tables")));
    }

    [Fact]
    public void EveryQueueTheCodeNamesOrTriggersOn_AndItsPoisonQueue_IsDeclared()
    {
        var code = CodeNames.Queues();

        Assert.Contains("rtgf-stats-cache-poison", code);
        Assert.Contains("rtgf-enrich-sync-poison", code);
        Assert.Empty(code.Except(Declared("Microsoft.Storage/storageAccounts/queueServices/queues")));
    }

    [Fact]
    public void EveryTimerSchedule_IsAnAppSetting_WithAValidNcrontab()
    {
        var settings = Deployment.AppSettings(infra.Defaults.PrimarySite);
        string[] operations = [OperationsSchedules.TrafficSnapshotSetting, OperationsSchedules.TrafficPruneSetting, OperationsSchedules.SessionArchiveSetting, OperationsSchedules.ArchivePurgeSetting, OperationsSchedules.BackupSetting];

        Assert.Contains("TENDER_SYNC_SCHEDULE", CodeNames.ScheduleSettings());
        foreach (var name in CodeNames.ScheduleSettings().Concat(operations))
        {
            Assert.True(settings.TryGetValue(name, out var schedule), $"{name} is not an app setting in infra/main.bicep");
            Assert.NotNull(CrontabSchedule.TryParse(schedule, new CrontabSchedule.ParseOptions { IncludingSeconds = true }));
        }
    }

    [Fact]
    public void EveryBackgroundFunction_IsKnownToInfra()
    {
        var known = infra.Arm["variables"]!["backgroundFunctions"]!.AsArray().Select(f => (string)f!).ToHashSet(StringComparer.Ordinal);

        Assert.Contains("tender-sync", CodeNames.BackgroundFunctions());
        Assert.Empty(CodeNames.BackgroundFunctions().Except(known));
    }

    [Fact]
    public void EveryAlertAsData_IsAScheduledQueryRuleOverApplicationInsights_AndTheWorkbookIsDeployed()
    {
        var alerts = JsonNode.Parse(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "monitoring", "alerts.json")))!["alerts"]!.AsArray();
        var rules = infra.Defaults.OfType("Microsoft.Insights/scheduledQueryRules");

        Assert.Equal(alerts.Count, rules.Count);
        foreach (var alert in alerts)
        {
            var rule = Assert.Single(rules, r => (string)r["properties"]!["displayName"]! == (string)alert!["name"]!)["properties"]!;
            var criterion = Assert.Single(rule["criteria"]!["allOf"]!.AsArray())!;
            Assert.Equal((string)alert!["query"]!, (string)criterion["query"]!);
            Assert.Equal((double)alert["threshold"]!, (double)criterion["threshold"]!);
            Assert.Equal((int)alert["severity"]!, (int)rule["severity"]!);
            Assert.Contains("Microsoft.Insights/components/", rule["scopes"]![0]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Single(rule["actions"]!["actionGroups"]!.AsArray());
        }

        var workbook = Assert.Single(infra.Defaults.OfType("Microsoft.Insights/workbooks"))["properties"]!;
        Assert.Equal(File.ReadAllText(Path.Combine(BicepCli.InfraDirectory, "monitoring", "workbook.json")), (string)workbook["serializedData"]!);
    }

    private HashSet<string> Declared(string type) =>
        infra.Defaults.OfType(type).Select(r => ((string)r["name"]!).Split('/')[^1]).ToHashSet(StringComparer.Ordinal);
}
