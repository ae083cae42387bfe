using System.Text.Json;
using System.Text.Json.Serialization;

namespace Rtgf.Azure.Backups;

/// <summary>
/// A backup's manifest (docs/spec/backups.md), sealed like every part: the consistency point (the log's checkpoint, read
/// first), every table with its parts, every container (empty ones too), and every blob with where its bytes are kept. A part is named by the SHA-256 of
/// its sealed bytes, which the manifest records, so a changed part is refused before anything is written.
/// </summary>
public sealed record BackupManifest(
    int Format,
    string Id,
    DateTimeOffset CreatedAt,
    BackupCheckpoint? Checkpoint,
    IReadOnlyList<BackupTable> Tables,
    IReadOnlyList<string> Containers,
    IReadOnlyList<BackupBlob> Blobs,
    IReadOnlyList<BackupPart> BlobParts)
{
    public const int CurrentFormat = 1;

    public byte[] ToJson() => JsonSerializer.SerializeToUtf8Bytes(this, BackupJsonContext.Default.BackupManifest);

    public static BackupManifest FromJson(ReadOnlySpan<byte> json) =>
        JsonSerializer.Deserialize(json, BackupJsonContext.Default.BackupManifest) ?? throw new BackupFormatException("The backup manifest is empty.");

    /// <summary>Every part the manifest names, table parts and blob packs, once each.</summary>
    public IEnumerable<BackupPart> AllParts() =>
        Tables.SelectMany(t => t.Parts).Concat(BlobParts).DistinctBy(p => p.Path, StringComparer.Ordinal);
}

/// <summary>The log's checkpoint as the backup read it, before anything else: what a restore makes the log's checkpoint again.</summary>
public sealed record BackupCheckpoint(string Container, string Blob, long Size, string RootHash, string Sha256);

/// <summary>One table: its rows in one or more parts (JSON lines, one entity a line, in key order).</summary>
public sealed record BackupTable(string Name, long Rows, IReadOnlyList<BackupPart> Parts);

/// <summary>A sealed part in the backups container: its path, the SHA-256 of its sealed bytes, its size, and the rows it holds (tables).</summary>
public sealed record BackupPart(string Path, string Sha256, long Bytes, long Rows);

/// <summary>One blob of the deployment: its content's SHA-256 and headers, and where in which blob pack its bytes are.</summary>
public sealed record BackupBlob(
    string Container,
    string Name,
    long Length,
    string Sha256,
    string? ContentType,
    string? CacheControl,
    string ETag,
    string Part,
    long Offset);

/// <summary>A backup that cannot be used: malformed, tampered with, or not matching its manifest.</summary>
public sealed class BackupFormatException : Exception
{
    public BackupFormatException(string message)
        : base(message)
    {
    }

    public BackupFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public BackupFormatException()
    {
    }
}

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(BackupManifest))]
internal sealed partial class BackupJsonContext : JsonSerializerContext;
