using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Rtgf.Testing;

/// <summary>A log entry with its structured state, the scopes around it, and its exception's text (<c>ToString()</c>) if any.</summary>
public sealed record RecordedLog(
    string Category, LogLevel Level, string Message, IReadOnlyDictionary<string, object?> State, IReadOnlyDictionary<string, object?> Scopes, string? Exception = null);

/// <summary>Captures log entries (structured state and scopes included) so tests can assert on what was logged.</summary>
public sealed class RecordingLoggerProvider : ILoggerProvider, ISupportExternalScope
{
    private readonly ConcurrentQueue<RecordedLog> _entries = new();
    private IExternalScopeProvider _scopes = new LoggerExternalScopeProvider();

    public IReadOnlyList<RecordedLog> Entries => [.. _entries];

    public ILogger CreateLogger(string categoryName) => new Logger(this, categoryName);

    public void SetScopeProvider(IExternalScopeProvider scopeProvider) => _scopes = scopeProvider;

    public void Dispose()
    {
    }

    private static void AddPairs(object? state, Dictionary<string, object?> into)
    {
        if (state is IEnumerable<KeyValuePair<string, object?>> pairs)
        {
            foreach (var (key, value) in pairs)
            {
                into[key] = value;
            }
        }
    }

    private sealed class Logger(RecordingLoggerProvider owner, string category) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => owner._scopes.Push(state);

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            var values = new Dictionary<string, object?>(StringComparer.Ordinal);
            AddPairs(state, values);
            var scopes = new Dictionary<string, object?>(StringComparer.Ordinal);
            owner._scopes.ForEachScope((scope, into) => AddPairs(scope, into), scopes);
            owner._entries.Enqueue(new RecordedLog(category, logLevel, formatter(state, exception), values, scopes, exception?.ToString()));
        }
    }
}
