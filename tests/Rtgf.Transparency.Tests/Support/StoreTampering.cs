using Rtgf.Transparency.Storage;

namespace Rtgf.Transparency.Tests.Support;

internal static class StoreTampering
{
    /// <summary>
    /// Puts bytes at a path behind the log's back, whether or not an object is there (what a bug, an operator or an attacker with
    /// write access could do).
    /// </summary>
    public static async Task TamperAsync(this ILogObjectStore store, string path, ReadOnlyMemory<byte> content)
    {
        var current = await store.GetAsync(path);
        _ = await store.SwapAsync(path, content, current?.Version) ?? throw new InvalidOperationException($"'{path}' changed while tampering.");
    }
}
