using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Rtgf.Azure.Queues;
using Rtgf.FunctionsHost.Functions;

namespace Rtgf.LocalRunner.Triggers;

/// <summary>
/// The Storage queues a binding names, as the host finds them: the binding's <c>connection</c> is the name of an app
/// setting holding a connection string (none: <c>AzureWebJobsStorage</c>), <c>%NAME%</c> in the queue name is resolved
/// from the settings, and messages are Base64 unless host.json says <c>messageEncoding: none</c>.
/// </summary>
internal sealed class StorageQueues(LocalSettings settings, bool base64)
{
    public const string DefaultConnection = "AzureWebJobsStorage";

    private readonly ConcurrentDictionary<string, QueueServiceClient> _services = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, Task> _created = new(StringComparer.Ordinal);

    public LocalSettings Settings => settings;

    /// <summary>The queue <paramref name="binding"/> reads or writes; <paramref name="declaredName"/> defaults to its <c>queueName</c>.</summary>
    public QueueClient Queue(HostedBinding binding, string? declaredName = null)
    {
        ArgumentNullException.ThrowIfNull(binding);
        var declared = declaredName ?? binding.Property("queueName") ?? throw new RunnerException($"binding '{binding.Name}' names no queue");
        var name = settings.Resolve(declared) ?? throw new RunnerException($"the queue name {declared} names an app setting that is not set");
        try
        {
            QueueLimits.ValidateQueueName(name);
        }
        catch (ArgumentException)
        {
            throw new RunnerException($"'{name}' is not a queue name (3-63 lowercase letters, digits and single hyphens)");
        }

        return Service(binding.Property("connection") is { Length: > 0 } connection ? connection : DefaultConnection).GetQueueClient(name);
    }

    /// <summary>Creates the queue once per run (the host's output binding creates a missing queue on first use).</summary>
    public Task EnsureAsync(QueueClient queue, CancellationToken cancellationToken) =>
        _created.GetOrAdd(queue.Uri.AbsoluteUri, _ => queue.CreateIfNotExistsAsync(cancellationToken: cancellationToken));

    private QueueServiceClient Service(string connection) => _services.GetOrAdd(connection, name =>
    {
        if (!settings.TryGet(name, out var connectionString))
        {
            throw new RunnerException($"the connection '{name}' is not set: add an app setting {name} with a storage connection string");
        }

        try
        {
            return new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = base64 ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None });
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new RunnerException($"the setting {name} is not a storage connection string: {e.Message}");
        }
    });
}
