namespace Rtgf.Infra.Tests;

/// <summary>Every Bicep file builds and lints with no diagnostic at all: bicepconfig.json's warnings are errors here.</summary>
public sealed class BicepLintTests
{
    public static TheoryData<string> Files()
    {
        var data = new TheoryData<string>();
        foreach (var file in BicepCli.BicepFiles())
        {
            data.Add(Path.GetRelativePath(BicepCli.RepoRoot, file).Replace('\\', '/'));
        }

        return data;
    }

    [Fact]
    public void TheInfraDirectory_HasTheMainTemplateAndItsModules()
    {
        var files = BicepCli.BicepFiles().Select(f => Path.GetRelativePath(BicepCli.InfraDirectory, f).Replace('\\', '/')).ToList();

        Assert.Contains("main.bicep", files);
        Assert.True(files.Count > 5, string.Join(", ", files));
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Build_HasNoDiagnostics(string file)
    {
        var output = Path.Combine(Path.GetTempPath(), "rtgf-infra-build-" + Path.GetFileNameWithoutExtension(file) + "-" + Environment.ProcessId + ".json");
        try
        {
            var (exitCode, text) = BicepCli.Run("build", file, "--outfile", output);

            Assert.True(exitCode == 0 && string.IsNullOrWhiteSpace(text), $"bicep build {file} (exit {exitCode}):\n{text}");
            Assert.True(File.Exists(output));
        }
        finally
        {
            File.Delete(output);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Lint_HasNoDiagnostics(string file)
    {
        var (exitCode, text) = BicepCli.Run("lint", file);

        Assert.True(exitCode == 0 && string.IsNullOrWhiteSpace(text), $"bicep lint {file} (exit {exitCode}):\n{text}");
    }

    [Fact]
    public void Lint_ReportsAWeakenedTemplate()
    {
        // The check itself can fail: a file with an unused parameter (a warning by default, an error in bicepconfig.json).
        var directory = Path.Combine(BicepCli.RepoRoot, "artifacts", "infra-tests", "lint-" + Environment.ProcessId);
        Directory.CreateDirectory(directory);
        var file = Path.Combine(directory, "weak.bicep");
        File.WriteAllText(file, "param unused string\n");
        try
        {
            var (exitCode, text) = BicepCli.Run("lint", file);

            Assert.NotEqual(0, exitCode);
            Assert.Contains("no-unused-params", text, StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }
}
