using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Azure.Waitlist;
using Rtgf.Functions.Tests.Support;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Triggers;
using Rtgf.Functions.Waitlist;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Tests.Waitlist;

/// <summary>
/// The real app on Azurite with the waitlist in this fixture's tables (leads, the shared usage counters) and queues (the
/// sign-ups: <c>{prefix}rtgf-waitlist-signups</c>; the comms outbox: <c>{prefix}rtgf-comms</c>), fixed keys and base URL,
/// and small hourly limits. The anonymous tier's per-minute bucket is raised so the waitlist's own limits are what the
/// tests meet. Each test signs up from its own client address (<c>X-Forwarded-For</c>, as the front end sets it) and its
/// own email domain. Reading leads or sent email first runs <c>waitlist-signups</c> over the queued sign-ups, as the host
/// would; <see cref="Outage"/> makes the next sends to a queue fail as a storage outage does.
/// </summary>
public class WaitlistFixture : StoredAppFixture
{
    public const string LinkKey = "d2FpdGxpc3QtdGVzdC1saW5rLWtleS0wMTIzNDU2Nzg5YWJjZGVm"; // 48 bytes
    public const string IdKey = "d2FpdGxpc3QtdGVzdC1pZC1rZXktLS0wMTIzNDU2Nzg5YWJjZGVm"; // 48 bytes
    public const string LinkBase = "https://rtgf.test/";
    public const int PerIp = 10;
    public const int PerAddress = 3;
    public const int PerDomain = 12;

    private readonly ConcurrentQueue<CommsRequest> _sent = new();

    public WaitlistFixture()
        : base(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public TableLeadStore Leads => Services.GetRequiredService<TableLeadStore>();

    public FailingQueueSender Outage { get; } = new();

    public QueueClient SignupQueue => Azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding }).GetQueueClient(Prefix + WaitlistSignups.Queue);

    public QueueClient CommsQueue => Azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding }).GetQueueClient(Prefix + CommsOutbox.Queue);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        [MagicLinks.Setting] = LinkKey,
        [WaitlistSettings.LinkBaseUrlSetting] = LinkBase,
        [WaitlistSettings.PerIpSetting] = PerIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [WaitlistSettings.PerAddressSetting] = PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [WaitlistSettings.PerDomainSetting] = PerDomain.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [WaitlistIds.Setting] = IdKey,
        ["ApiAccess:AnonymousRequestsPerMinute"] = "1000000",
    }.Concat(MoreSettings).ToDictionary();

    /// <summary>Settings a subclass adds or overrides.</summary>
    protected virtual IReadOnlyDictionary<string, string?> MoreSettings => new Dictionary<string, string?>();

    protected override Task SeedAsync() => Task.CompletedTask;

    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        services.RemoveAll<IDelayedQueueSender>();
        services.AddSingleton<IDelayedQueueSender>(_ => Outage.Over(new StorageQueueSender(Azurite.Connection, Prefix)));
    }

    /// <summary>
    /// Runs <c>waitlist-signups</c> over every queued sign-up, as the host does (the message's broker id as its id); each
    /// must succeed, and is deleted then.
    /// </summary>
    public async Task DrainSignupsAsync()
    {
        await SignupQueue.CreateIfNotExistsAsync();
        while ((await SignupQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value is { Length: > 0 } received)
        {
            foreach (var message in received)
            {
                var result = await DeliverSignupAsync(message);
                Assert.True(result.Succeeded, result.Error);
                await SignupQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }
    }

    /// <summary>Delivers one received sign-up message to <c>waitlist-signups</c> (not settled: the caller deletes or releases it).</summary>
    public Task<InvocationResult> DeliverSignupAsync(global::Azure.Storage.Queues.Models.QueueMessage message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var function = Worker.Channel.Find("waitlist-signups") ?? throw new InvalidOperationException("The app has no waitlist-signups function.");
        return Worker.Channel.InvokeAsync(QueueInvocation.Create(function, InvocationIds.New(),
            new QueueDelivery(message.MessageId, message.PopReceipt, message.Body.ToString(), message.DequeueCount, message.InsertedOn, message.ExpiresOn, message.NextVisibleOn)));
    }

    /// <summary>Every comms message enqueued so far to addresses at <paramref name="domain"/>, in queue order (read off the queue through the SDK).</summary>
    public async Task<IReadOnlyList<CommsRequest>> SentToAsync(string domain)
    {
        await DrainSignupsAsync();
        await CommsQueue.CreateIfNotExistsAsync();
        while (true)
        {
            var received = (await CommsQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
            if (received.Length == 0)
            {
                break;
            }

            foreach (var message in received)
            {
                _sent.Enqueue(JsonSerializer.Deserialize(message.Body.ToString(), CommsJson.Default.CommsRequest)!);
                await CommsQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
        }

        return [.. _sent.Where(m => m.To.EndsWith("@" + domain, StringComparison.Ordinal))];
    }

    /// <summary>Every stored lead whose address is at <paramref name="domain"/> (through <c>GET /ops/leads</c>, page by page).</summary>
    public async Task<IReadOnlyList<JsonElement>> LeadsAtAsync(string domain)
    {
        await DrainSignupsAsync();
        using var client = CreateClient();
        var leads = new List<JsonElement>();
        string? cursor = null;
        do
        {
            var url = "/ops/leads?limit=200" + (cursor is null ? string.Empty : "&cursor=" + Uri.EscapeDataString(cursor));
            using var document = JsonDocument.Parse(await client.GetStringAsync(new Uri(url, UriKind.Relative)));
            leads.AddRange(document.RootElement.GetProperty("leads").EnumerateArray()
                .Where(l => l.GetProperty("email").GetString()!.EndsWith("@" + domain, StringComparison.Ordinal)).Select(l => l.Clone()));
            cursor = document.RootElement.TryGetProperty("nextCursor", out var next) && next.ValueKind == JsonValueKind.String ? next.GetString() : null;
        }
        while (cursor is not null);
        return leads;
    }

    /// <summary><c>POST /v1/waitlist</c> with <paramref name="body"/> (an object as JSON, or raw content) from <paramref name="clientAddress"/>.</summary>
    public async Task<HttpResponseMessage> SignUpAsync(object body, string clientAddress)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/v1/waitlist") { Content = body as HttpContent ?? JsonContent.Create(body) };
        request.Headers.TryAddWithoutValidation("X-Forwarded-For", clientAddress);
        return await client.SendAsync(request);
    }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string url)
    {
        using var client = CreateClient();
        using var request = new HttpRequestMessage(method, new Uri(url, UriKind.RelativeOrAbsolute).IsAbsoluteUri ? new Uri(url).PathAndQuery : url);
        return await client.SendAsync(request);
    }
}

/// <summary>
/// The app's queue sender with an outage switch: <see cref="FailNext"/> makes the next sends to one queue throw what the
/// Storage SDK throws when the service answers 503, without sending; every other send goes to Azurite.
/// </summary>
public sealed class FailingQueueSender
{
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public void FailNext(string queueName, int count = 1) => _failures[queueName] = count;

    public IDelayedQueueSender Over(IDelayedQueueSender inner) => new Sender(this, inner);

    private bool ShouldFail(string queueName)
    {
        while (_failures.TryGetValue(queueName, out var left) && left > 0)
        {
            if (_failures.TryUpdate(queueName, left - 1, left))
            {
                return true;
            }
        }

        return false;
    }

    private sealed class Sender(FailingQueueSender outage, IDelayedQueueSender inner) : IDelayedQueueSender
    {
        public Task SendAsync(string queueName, string message, TimeSpan delay, CancellationToken cancellationToken = default) =>
            outage.ShouldFail(queueName)
                ? throw new global::Azure.RequestFailedException(503, "The server is busy (an injected outage).")
                : inner.SendAsync(queueName, message, delay, cancellationToken);
    }
}
