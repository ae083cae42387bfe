using System.Collections.Concurrent;
using System.Globalization;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The raw-payload scope of the current run: while one is active on the async flow, <see cref="RawCaptureHandler"/>
/// stores every upstream response body as <c>&lt;prefix&gt;&lt;operation&gt;-&lt;n&gt;.&lt;ext&gt;</c>, n counting per
/// operation from 1. Connectors stay unaware of it (no change to their code).
/// </summary>
public sealed class RawPayloadCapture
{
    private static readonly AsyncLocal<RawPayloadCapture?> CurrentScope = new();
    private readonly ConcurrentDictionary<string, int> _counters = new(StringComparer.Ordinal);

    private RawPayloadCapture(IRawPayloadStore store, string prefix)
    {
        Store = store;
        Prefix = prefix;
    }

    internal static RawPayloadCapture? Current => CurrentScope.Value;

    internal IRawPayloadStore Store { get; }

    internal string Prefix { get; }

    /// <summary>Starts capturing under <paramref name="prefix"/> (e.g. <c>tga/tga-20260301T000000Z/</c>) until disposed.</summary>
    public static IDisposable Begin(IRawPayloadStore store, string prefix)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentException.ThrowIfNullOrEmpty(prefix);
        var previous = CurrentScope.Value;
        CurrentScope.Value = new RawPayloadCapture(store, prefix);
        return new Restore(previous);
    }

    internal string NextName(string operation, string extension)
    {
        var n = _counters.AddOrUpdate(operation, 1, static (_, value) => value + 1);
        return string.Create(CultureInfo.InvariantCulture, $"{Prefix}{operation}-{n}.{extension}");
    }

    private sealed class Restore(RawPayloadCapture? previous) : IDisposable
    {
        public void Dispose() => CurrentScope.Value = previous;
    }
}
