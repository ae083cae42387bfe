namespace Rtgf.LocalRunner.Tests;

public sealed class LocalSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-settings-").FullName;
    private int _files;

    [Fact]
    public void Load_ReadsValuesAndPort_AndResolvesReferences()
    {
        var settings = LocalSettings.Load(Write("""{"IsEncrypted":false,"Values":{"TICK_SCHEDULE":"*/5 * * * * *","QUEUE":"work","Number":5},"Host":{"LocalHttpPort":7072}}"""));

        Assert.Equal(7072, settings.LocalHttpPort);
        Assert.Equal("*/5 * * * * *", settings.Resolve("%TICK_SCHEDULE%"));
        Assert.Equal("prefix-work-suffix", settings.Resolve("prefix-%QUEUE%-suffix"));
        Assert.Equal("5", settings.Values["Number"]);
        Assert.Null(settings.Resolve("%MISSING_SETTING_NAME%"));
        Assert.Equal("literal", settings.Resolve("literal"));
    }

    [Fact]
    public void Load_Encrypted_IsRefused() =>
        Assert.Contains("encrypted", Assert.Throws<RunnerException>(() => LocalSettings.Load(Write("""{"IsEncrypted":true,"Values":{}}"""))).Message, StringComparison.Ordinal);

    [Fact]
    public void Load_NotJson_SaysWhichFile()
    {
        var path = Write("{ nope");

        Assert.Contains(path, Assert.Throws<RunnerException>(() => LocalSettings.Load(path)).Message, StringComparison.Ordinal);
    }

    [Fact]
    public void With_TheWorkersOverridesWinWhenResolving()
    {
        var settings = LocalSettings.Load(Write("""{"Values":{"QUEUE":"work","RtgfStorage":"UseDevelopmentStorage=true"}}"""));

        var worker = settings.With(new Dictionary<string, string> { ["RtgfStorage"] = "DefaultEndpointsProtocol=http;AccountName=a", ["EXTRA"] = "x" });

        Assert.Equal("work-x", worker.Resolve("%QUEUE%-%EXTRA%"));
        Assert.True(worker.TryGet("RtgfStorage", out var storage));
        Assert.Equal("DefaultEndpointsProtocol=http;AccountName=a", storage);
        Assert.Equal("UseDevelopmentStorage=true", settings.Values["RtgfStorage"]);
    }

    [Fact]
    public void Load_TheRepositorySample_HasAValidScheduleForEverySync()
    {
        var sample = LocalSettings.Load(Path.Combine(Tooling.RepositoryLayout.FindRoot(), "local.settings.sample.json"));

        foreach (var name in new[] { "TGA_SYNC_SCHEDULE", "CRICOS_SYNC_SCHEDULE", "TEQSA_SYNC_SCHEDULE", "SANCTIONS_SYNC_SCHEDULE", "OSL_SYNC_SCHEDULE", "ABS_SYNC_SCHEDULE" })
        {
            var schedule = Rtgf.Pipeline.Scheduling.TimerSchedule.Parse(sample.Resolve($"%{name}%") ?? throw new Xunit.Sdk.XunitException($"the sample lacks {name}"));
            var start = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
            Assert.Equal(TimeSpan.FromMinutes(5), schedule.Next(schedule.Next(start)) - schedule.Next(start));
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string json)
    {
        var path = Path.Combine(_directory, $"settings{++_files}.json");
        File.WriteAllText(path, json);
        return path;
    }
}
