using System.Collections.Concurrent;
using Azure.Storage.Queues;
using Rtgf.Azure;
using Rtgf.Azure.Queues;
using Rtgf.FunctionsHost.Functions;

namespace Rtgf.LocalRunner.Triggers;

/// <summary>
/// The Storage queues a binding names, as the host finds them: the binding's <c>connection</c> is the name of an app
/// setting holding a connection string (none: <c>AzureWebJobsStorage</c>), <c>%NAME%</c> in the queue name is resolved
/// from the settings, and messages are Base64 unless host.json says <c>messageEncoding: none</c>. A received message that
/// does not decode moves, body unchanged, to <c>&lt;queue&gt;-poison</c>, as the queues extension does.
/// </summary>
internal sealed class StorageQueues(LocalSettings settings, bool base64, RunnerEvents? events = null)
{
    public const string DefaultConnection = "AzureWebJobsStorage";

    private readonly ConcurrentDictionary<string, QueueServiceClient> _services = new(StringComparer.OrdinalIgnoreCase);
    private readonly ConcurrentDictionary<string, CreatedOnFirstUse<QueueClient>> _created = new(StringComparer.Ordinal);

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
    public async Task EnsureAsync(QueueClient queue, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(queue);
        // The stores' create-on-first-use: no caller's token cancels the shared creation, and a failed one is tried again.
        var created = _created.GetOrAdd(queue.Uri.AbsoluteUri, _ => new CreatedOnFirstUse<QueueClient>(queue, static (q, ct) => q.CreateIfNotExistsAsync(cancellationToken: ct)));
        await created.GetAsync(cancellationToken).ConfigureAwait(false);
    }

    private QueueServiceClient Service(string connection) => _services.GetOrAdd(connection, name =>
    {
        if (!settings.TryGet(name, out var connectionString))
        {
            throw new RunnerException($"the connection '{name}' is not set: add an app setting {name} with a storage connection string");
        }

        try
        {
            var options = new QueueClientOptions { MessageEncoding = base64 ? QueueMessageEncoding.Base64 : QueueMessageEncoding.None };
            var raw = new QueueServiceClient(connectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.None });
            options.MessageDecodingFailed += args => PoisonUndecodableAsync(raw, args);
            return new QueueServiceClient(connectionString, options);
        }
        catch (Exception e) when (e is FormatException or ArgumentException or InvalidOperationException)
        {
            throw new RunnerException($"the setting {name} is not a storage connection string: {e.Message}");
        }
    });

    // The SDK leaves the message out of the batch and hands it here undecoded; without this it throws for the whole batch.
    private async Task PoisonUndecodableAsync(QueueServiceClient raw, QueueMessageDecodingFailedEventArgs args)
    {
        if (args.ReceivedMessage is not { } message)
        {
            return; // a peek: nothing was received
        }

        var poison = raw.GetQueueClient(args.Queue.Name + "-poison");
        await poison.CreateIfNotExistsAsync(cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await poison.SendMessageAsync(message.Body, cancellationToken: CancellationToken.None).ConfigureAwait(false);
        await args.Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, CancellationToken.None).ConfigureAwait(false);
        events?.Emit(
            "poison",
            ("queue", args.Queue.Name),
            ("poisonQueue", poison.Name),
            ("messageId", message.MessageId),
            ("dequeueCount", message.DequeueCount),
            ("reason", "the message is not Base64 (host.json messageEncoding)"));
    }
}
