using Rtgf.Transparency.Storage;

namespace Rtgf.Transparency.Tests.Support;

internal static class StoreTampering
{
    /// <summary>Replaces an object's bytes behind the log's back (what a bug, an operator or an attacker with write access could do).</summary>
    public static async Task TamperAsync(this ILogObjectStore store, string path, byte[] content)
    {
        var current = await store.GetAsync(path) ?? throw new InvalidOperationException($"Nothing to tamper with at '{path}'.");
        _ = await store.SwapAsync(path, content, current.Version) ?? throw new InvalidOperationException($"'{path}' changed while tampering.");
    }
}
