using Rtgf.Tooling;

namespace Rtgf.Testing;

/// <summary>Files under tests/testdata (conformance vectors, fixtures), located from the repository root.</summary>
public static class TestData
{
    public static string Root { get; } = Path.Combine(RepositoryLayout.FindRoot(), "tests", "testdata");

    /// <summary>The full path of a file under tests/testdata; a missing file fails the test loudly.</summary>
    public static string PathOf(string relativePath)
    {
        var path = Path.Combine(Root, relativePath);
        return File.Exists(path) || Directory.Exists(path)
            ? path
            : throw new FileNotFoundException($"Test data '{relativePath}' is missing under {Root}.", path);
    }

    public static string ReadText(string relativePath) => File.ReadAllText(PathOf(relativePath));

    public static byte[] ReadBytes(string relativePath) => File.ReadAllBytes(PathOf(relativePath));
}
