using System.Security.Cryptography;
using System.Text;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Limits of a batch write (an Azure Table entity-group transaction: 100 entities of one partition, 4 MiB) and the hash
/// buckets that give rows looked up by id a partition shared with many others, so their writes can be batched.
/// </summary>
public static class RecordBatch
{
    /// <summary>Rows per batch (the entity-group transaction limit).</summary>
    public const int MaxRows = 100;

    /// <summary>
    /// JSON characters per batch. On the wire the SDK escapes quotes and non-ASCII as <c>\uXXXX</c> (6 bytes); our rows are
    /// mostly unescaped text, so a batch stays well inside the 4 MiB payload limit, and one that would not is refused
    /// before sending (<c>TableLimits.CheckedTransaction</c>).
    /// </summary>
    public const int MaxChars = 1_000_000;

    /// <summary>Hash buckets of the <c>tokens</c> and <c>tokenlatest</c> tables.</summary>
    public const int Buckets = 16;

    /// <summary>The bucket partition of <paramref name="key"/>: <c>b</c> and two hex digits of the first byte of its SHA-256, mod <see cref="Buckets"/>.</summary>
    public static string Bucket(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(key), hash);
        return "b" + (hash[0] % Buckets).ToString("x2", System.Globalization.CultureInfo.InvariantCulture);
    }

    /// <summary>Splits rows (of one partition) into batches of at most <see cref="MaxRows"/> rows and <see cref="MaxChars"/> characters, keeping their order.</summary>
    public static IEnumerable<List<RecordBatchRow>> Split(IEnumerable<RecordBatchRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var batch = new List<RecordBatchRow>();
        var chars = 0;
        foreach (var row in rows)
        {
            if (batch.Count > 0 && (batch.Count == MaxRows || chars + row.Json.Length > MaxChars))
            {
                yield return batch;
                batch = [];
                chars = 0;
            }

            batch.Add(row);
            chars += row.Json.Length;
        }

        if (batch.Count > 0)
        {
            yield return batch;
        }
    }
}
