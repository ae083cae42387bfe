using System.Text;

namespace Rtgf.Ingestion.Tests.Support;

/// <summary>Test fixtures copied next to the test assembly (tests/Rtgf.Ingestion.Tests/Fixtures).</summary>
internal static class Fixture
{
    public static string Text(string name)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "Fixtures", name);
        return File.Exists(path) ? File.ReadAllText(path) : throw new FileNotFoundException($"Fixture {name} is missing from the test output.", path);
    }

    public static MemoryStream Stream(string text) => new(Encoding.UTF8.GetBytes(text));
}
