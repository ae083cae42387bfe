using System.Globalization;
using System.Text.RegularExpressions;

namespace Rtgf.Azure.Storage.Blobs;

/// <summary>Blob service naming and size rules, checked before a request is sent.</summary>
public static partial class BlobLimits
{
    public const int MaxBlobNameChars = 1024;

    /// <summary>Largest single Put Blob (service version 2019-12-12 and later).</summary>
    public const long MaxSingleUploadBytes = 5000L * 1024 * 1024;

    /// <summary>Total size of all metadata names and values.</summary>
    public const int MaxMetadataBytes = 8 * 1024;

    public static void ValidateContainerName(string containerName)
    {
        ArgumentNullException.ThrowIfNull(containerName);
        if (containerName != "$root" && !ContainerNamePattern().IsMatch(containerName))
        {
            throw new ArgumentException(
                $"Container name '{containerName}' is invalid: use 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
                nameof(containerName));
        }
    }

    public static void ValidateBlobName(string blobName)
    {
        ArgumentNullException.ThrowIfNull(blobName);
        if (blobName.Length is 0 or > MaxBlobNameChars)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Blob name is {blobName.Length:N0} characters; names hold 1 to {MaxBlobNameChars:N0}."),
                nameof(blobName));
        }

        foreach (var c in blobName)
        {
            if (char.IsControl(c))
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Blob name '{blobName}' contains the control character U+{(int)c:X4}."), nameof(blobName));
            }
        }

        // URIs normalise "." and ".." segments away, so such a name would address a different blob.
        foreach (var segment in blobName.Split('/'))
        {
            if (segment is "." or "..")
            {
                throw new ArgumentException($"Blob name '{blobName}' has a '{segment}' path segment, which URLs cannot carry.", nameof(blobName));
            }
        }
    }

    public static void ValidateMetadata(IReadOnlyDictionary<string, string>? metadata)
    {
        if (metadata is null)
        {
            return;
        }

        var total = 0;
        foreach (var (name, value) in metadata)
        {
            if (!MetadataNamePattern().IsMatch(name))
            {
                throw new ArgumentException($"Metadata name '{name}' is invalid: names are C# identifiers (letters, digits, underscores).", nameof(metadata));
            }

            ArgumentNullException.ThrowIfNull(value, $"metadata[{name}]");
            foreach (var c in value)
            {
                if (c is < ' ' or > '~')
                {
                    throw new ArgumentException($"Metadata '{name}' holds a character outside printable ASCII; metadata travels in HTTP headers.", nameof(metadata));
                }
            }

            total += name.Length + value.Length;
        }

        if (total > MaxMetadataBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"Metadata is {total:N0} bytes; blobs hold at most {MaxMetadataBytes:N0}."), nameof(metadata));
        }
    }

    /// <summary>The blob name as a URL path: each segment percent-escaped, slashes kept.</summary>
    internal static string EscapePath(string blobName) =>
        string.Join('/', blobName.Split('/').Select(Uri.EscapeDataString));

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerNamePattern();

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]*$", RegexOptions.CultureInvariant)]
    private static partial Regex MetadataNamePattern();
}
