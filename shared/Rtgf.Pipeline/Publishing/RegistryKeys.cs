namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Keys of the registry tables whose rows are found by id (docs/spec/publication.md): <c>tokens</c> and
/// <c>tokenlatest</c> live in <see cref="RecordBatch.Buckets"/> hash partitions, so a publication writes them in
/// entity-group batches instead of one request per row.
/// </summary>
internal static class RegistryKeys
{
    /// <summary>The separator of <see cref="LatestRow"/>: families never contain it.</summary>
    public const char LatestSeparator = '|';

    public static string TokenPartition(string tokenId) => RecordBatch.Bucket(tokenId);

    public static string LatestPartition(string subject) => RecordBatch.Bucket(subject);

    /// <summary><c>subject|family</c>: the rows of one subject are contiguous and ordered by family.</summary>
    public static string LatestRow(string subject, string family) => subject + LatestSeparator + family;
}
