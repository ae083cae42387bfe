using System.Globalization;
using System.Text.RegularExpressions;
using Azure.Storage.Blobs;

namespace Rtgf.Azure.Blobs;

/// <summary>Blob service naming and size rules, checked by our stores before the SDK sends a request (it checks none of them).</summary>
public static partial class BlobLimits
{
    public const int MaxBlobNameChars = 1024;

    /// <summary>Largest single Put Blob (service version 2019-12-12 and later).</summary>
    public const long MaxSingleUploadBytes = 5000L * 1024 * 1024;

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

        // The service drops a trailing dot or slash (docs: "Naming and referencing containers, blobs, and metadata"), so such a
        // name would address a different blob than the one asked for.
        if (blobName[^1] is '.' or '/' or '\\')
        {
            throw new ArgumentException($"Blob name '{blobName}' ends with '{blobName[^1]}', which the service drops; names may not end with '.', '/' or '\\'.", nameof(blobName));
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

    /// <summary>The client of blob <paramref name="blobName"/>, once its name is checked.</summary>
    public static BlobClient CheckedBlob(this BlobContainerClient container, string blobName)
    {
        ArgumentNullException.ThrowIfNull(container);
        ValidateBlobName(blobName);
        return container.GetBlobClient(blobName);
    }

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex ContainerNamePattern();
}
