namespace Rtgf.Transparency.Storage;

/// <summary>An object the tree size requires (a tile, an entry bundle) is not in the log.</summary>
public sealed class LogObjectMissingException(string path)
    : InvalidOperationException($"The log object '{path}' is missing; the log is incomplete or the tree size is wrong.")
{
    public string Path { get; } = path;
}
