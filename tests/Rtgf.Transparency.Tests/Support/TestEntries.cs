using System.Globalization;
using System.Text;

namespace Rtgf.Transparency.Tests.Support;

internal static class TestEntries
{
    public const string Origin = "rtgf.test/log";

    public static ReadOnlyMemory<byte> Entry(string tag, long n) =>
        Encoding.UTF8.GetBytes(string.Create(CultureInfo.InvariantCulture, $"{{\"type\":\"token\",\"tag\":\"{tag}\",\"n\":{n}}}"));

    public static IReadOnlyList<ReadOnlyMemory<byte>> Batch(string tag, long start, int count) =>
        [.. Enumerable.Range(0, count).Select(i => Entry(tag, start + i))];
}
