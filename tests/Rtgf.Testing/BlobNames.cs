using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;

namespace Rtgf.Testing;

/// <summary>What tests read back from a container: the names of its blobs under a prefix, none when it does not exist.</summary>
public static class BlobNames
{
    public static async Task<List<string>> ListAsync(BlobContainerClient container, string? prefix = null)
    {
        ArgumentNullException.ThrowIfNull(container);
        var names = new List<string>();
        if (!await container.ExistsAsync().ConfigureAwait(false))
        {
            return names;
        }

        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, prefix, CancellationToken.None).ConfigureAwait(false))
        {
            names.Add(item.Name);
        }

        return names;
    }
}
