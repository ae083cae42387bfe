using Rtgf.Transparency.Storage;

namespace Rtgf.Cli.Log;

/// <summary>An opened log location; owns the HTTP client when the log is remote.</summary>
internal sealed class LogConnection(ILogObjectSource source, HttpClient? http = null) : IDisposable
{
    public ILogObjectSource Source { get; } = source;

    public void Dispose() => http?.Dispose();
}
