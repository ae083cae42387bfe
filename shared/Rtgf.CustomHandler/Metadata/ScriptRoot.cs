namespace Rtgf.CustomHandler.Metadata;

/// <summary>A script root: host.json plus one folder per function, loaded the way the host loads it.</summary>
public sealed record ScriptRoot(string Path, HostJson Host, IReadOnlyList<FunctionMetadata> Functions)
{
    public static ScriptRoot Load(string path)
    {
        var full = System.IO.Path.GetFullPath(path);
        var hostPath = System.IO.Path.Combine(full, HostJson.FileName);
        if (!File.Exists(hostPath))
        {
            throw new ScriptRootException($"{full} is not a script root: it has no host.json.");
        }

        var host = HostJson.Parse(File.ReadAllText(hostPath));
        var functions = Directory.EnumerateDirectories(full)
            .Where(d => File.Exists(System.IO.Path.Combine(d, FunctionJson.FileName)))
            .Order(StringComparer.Ordinal)
            .Select(d => FunctionMetadata.Parse(System.IO.Path.GetFileName(d), File.ReadAllText(System.IO.Path.Combine(d, FunctionJson.FileName))))
            .ToList();
        return new ScriptRoot(full, host, functions);
    }
}
