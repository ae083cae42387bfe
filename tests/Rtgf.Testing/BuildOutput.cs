namespace Rtgf.Testing;

/// <summary>Where other projects' build outputs are, for tests that run them (same configuration as the test).</summary>
public static class BuildOutput
{
    /// <summary>artifacts/bin/{project}/{configuration}/ for this test run's configuration.</summary>
    public static string Directory(string projectName)
    {
        var configuration = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Name;
        var path = Path.Combine(Tooling.RepositoryLayout.FindRoot(), "artifacts", "bin", projectName, configuration);
        return System.IO.Directory.Exists(path)
            ? path
            : throw new DirectoryNotFoundException($"{projectName} has not been built ({path} is missing); the test project should reference it.");
    }
}
