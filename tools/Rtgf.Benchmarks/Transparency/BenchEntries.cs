using System.Globalization;
using System.Text;

namespace Rtgf.Benchmarks.Transparency;

internal static class BenchEntries
{
    /// <summary>Token-like entries of about 150 bytes.</summary>
    public static ReadOnlyMemory<byte>[] Create(int count, int offset = 0) =>
    [
        .. Enumerable.Range(offset, count).Select(i => (ReadOnlyMemory<byte>)Encoding.UTF8.GetBytes(string.Create(
            CultureInfo.InvariantCulture,
            $"{{\"type\":\"token\",\"jti\":\"tok-{i:D10}\",\"sub\":\"rto:{i % 9973}\",\"digest\":\"sha256:{i * 2654435761L:x16}{i:x16}\",\"rev\":{i % 7}}}"))),
    ];
}
