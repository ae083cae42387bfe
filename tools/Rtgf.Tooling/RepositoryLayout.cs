namespace Rtgf.Tooling;

/// <summary>Where things are in a checkout of this repository.</summary>
public static class RepositoryLayout
{
    /// <summary>The repository root: the nearest ancestor of <paramref name="start"/> holding Rtgf.Functions.sln.</summary>
    public static string FindRoot(string? start = null) =>
        TryFindRoot(start ?? AppContext.BaseDirectory)
        ?? throw new DirectoryNotFoundException($"Could not find the repository root (a folder holding Rtgf.Functions.sln) above {start ?? AppContext.BaseDirectory}.");

    /// <summary>The repository root above <paramref name="start"/>, or null.</summary>
    public static string? TryFindRoot(string start)
    {
        var directory = new DirectoryInfo(start);
        while (directory is not null)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Rtgf.Functions.sln")))
            {
                return directory.FullName;
            }

            directory = directory.Parent;
        }

        return null;
    }

    /// <summary>The Azurite launcher installed by <c>npm ci</c>.</summary>
    public static string AzuriteExecutable(string repositoryRoot) =>
        Path.Combine(repositoryRoot, "node_modules", ".bin", OperatingSystem.IsWindows() ? "azurite.cmd" : "azurite");
}
