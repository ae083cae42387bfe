using Rtgf.CustomHandler.Catalog;

namespace Rtgf.CustomHandler.Metadata;

/// <summary>
/// Writes one folder per function (<c>{name}/function.json</c>) into a script root, and removes folders of
/// functions that no longer exist so a renamed function leaves nothing behind.
/// </summary>
public static class FunctionMetadataWriter
{
    /// <summary>Returns the folders written.</summary>
    public static IReadOnlyList<string> Write(FunctionCatalog catalog, string scriptRoot)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        Directory.CreateDirectory(scriptRoot);
        var written = new List<string>();
        foreach (var function in catalog)
        {
            var folder = Path.Combine(scriptRoot, function.Name);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, FunctionJson.FileName);
            var json = FunctionJson.Write(function);

            // Unchanged files keep their timestamps, so incremental builds and publishes stay incremental.
            if (!File.Exists(path) || File.ReadAllText(path) != json)
            {
                File.WriteAllText(path, json);
            }

            written.Add(folder);
        }

        foreach (var stale in Directory.EnumerateDirectories(scriptRoot))
        {
            var name = Path.GetFileName(stale);
            var onlyMetadata = Directory.EnumerateFileSystemEntries(stale).Select(Path.GetFileName).SequenceEqual([FunctionJson.FileName]);
            if (onlyMetadata && !catalog.TryGet(name, out _))
            {
                Directory.Delete(stale, recursive: true);
            }
        }

        return written;
    }
}
