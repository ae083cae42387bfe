using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Azure.Webhooks;
using Rtgf.Functions.Tests.Support;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Triggers;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Webhooks;

namespace Rtgf.Functions.Tests.Webhooks;

/// <summary>
/// The app over Azurite with the webhook bus in this fixture's table, container and queues, both providers' secrets set,
/// a counting Stripe handler in place of the app's (no Resend handler: its events are unhandled), and switchable faults in front of the queue
/// sender and the table (the crash points). <see cref="DrainAsync"/> delivers the queue to the real <c>webhooks</c>
/// function as the host does: success deletes, failure retries, the <c>maxDequeueCount</c>-th failure poisons.
/// </summary>
public class WebhookAppFixture : StoredAppFixture
{
    public const string StripeSecret = "whsec_test_stripe_0123456789";

    /// <summary>Svix style: <c>whsec_</c> and the base64 of the HMAC key.</summary>
    public static readonly string ResendSecret = "whsec_" + Convert.ToBase64String(Encoding.UTF8.GetBytes("resend-test-key-0123456789abcdef"));

    /// <summary>host.json <c>extensions.queues.maxDequeueCount</c>.</summary>
    public const int MaxDequeueCount = 5;

    public WebhookAppFixture()
        : base(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public CountingWebhookHandler Handler { get; } = new();

    public WebhookFaults Faults { get; } = new();

    public IWebhookStore WebhookStore => Services.GetRequiredService<IWebhookStore>();

    public QueueClient Queue => Azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding }).GetQueueClient(Prefix + WebhookOptions.Queue);

    public QueueClient PoisonQueue => Azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding }).GetQueueClient(Prefix + WebhookOptions.Queue + "-poison");

    protected virtual bool SecretsConfigured => true;

    /// <summary>Whether <see cref="Handler"/> replaces the app's Stripe handler (false: billing's real one applies the events).</summary>
    protected virtual bool CountsStripeEvents => true;

    protected override IReadOnlyDictionary<string, string?> Settings
    {
        get
        {
            var settings = new Dictionary<string, string?>(base.Settings);
            if (SecretsConfigured)
            {
                settings["Stripe:WebhookSecret"] = StripeSecret;
                settings["Resend:WebhookSecret"] = ResendSecret;
            }

            return settings;
        }
    }

    protected override Task SeedAsync() => Task.CompletedTask;

    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        services.RemoveAll<IWebhookStore>();
        services.AddSingleton<IWebhookStore>(sp => new FaultyWebhookStore(new TableWebhookStore(sp.GetRequiredService<TableServiceClient>, Prefix), Faults));
        services.RemoveAll<IWebhookBodyStore>();
        services.AddSingleton<IWebhookBodyStore>(_ => new BlobWebhookBodyStore(Azurite.BlobService().GetBlobContainerClient(Prefix + "webhooks")));
        services.RemoveAll<IDelayedQueueSender>();
        services.AddSingleton<IDelayedQueueSender>(_ => new FaultyQueueSender(new StorageQueueSender(Azurite.Connection, Prefix), Faults));
        if (CountsStripeEvents)
        {
            services.RemoveAll<IWebhookHandler>(); // the counting handler replaces the app's (billing's Stripe handler): one per provider
            services.AddSingleton<IWebhookHandler>(Handler);
        }
    }

    /// <summary>A Stripe event body (the fields Stripe.net reads), of the client's API version unless another is given.</summary>
    public static byte[] StripeEvent(string id, string type = "invoice.paid", string? apiVersion = null) => Encoding.UTF8.GetBytes(
        """{"id":"ID","object":"event","api_version":"VERSION","created":1764925200,"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"TYPE","data":{"object":{"id":"in_ID","object":"invoice"}}}"""
            .Replace("ID", id, StringComparison.Ordinal).Replace("VERSION", apiVersion ?? Stripe.StripeConfiguration.ApiVersion, StringComparison.Ordinal).Replace("TYPE", type, StringComparison.Ordinal));

    /// <summary>A signed Stripe delivery, as Stripe signs: <c>t=…,v1=hex(HMAC-SHA256(secret, "{t}.{body}"))</c>.</summary>
    public HttpRequestMessage StripeDelivery(byte[] body, string secret = StripeSecret, DateTimeOffset? signedAt = null, byte[]? sent = null)
    {
        var t = (signedAt ?? Clock.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), (byte[])[.. Encoding.UTF8.GetBytes(t + "."), .. body]));
        var request = Post("stripe", sent ?? body);
        request.Headers.Add(StripeSignatureVerifier.Header, $"t={t},v1={signature}");
        return request;
    }

    /// <summary>A Resend (Svix) event body.</summary>
    public static byte[] ResendEvent(string type = "email.bounced") => Encoding.UTF8.GetBytes(
        $$$"""{"type":"{{{type}}}","created_at":"2026-12-05T09:00:00.000Z","data":{"email_id":"e-1","to":["a@example.com"]}}""");

    /// <summary>A signed Svix delivery: <c>v1,&lt;base64 HMAC&gt;</c> over <c>{id}.{timestamp}.{body}</c>.</summary>
    public HttpRequestMessage SvixDelivery(string id, byte[] body, string? secret = null, DateTimeOffset? signedAt = null)
    {
        var t = (signedAt ?? Clock.GetUtcNow()).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToBase64String(SvixSignatureVerifier.Sign(SvixSignatureVerifier.Key(secret ?? ResendSecret)!, id, t, body));
        var request = Post("resend", body);
        request.Headers.Add(SvixSignatureVerifier.IdHeader, id);
        request.Headers.Add(SvixSignatureVerifier.TimestampHeader, t);
        request.Headers.Add(SvixSignatureVerifier.SignatureHeader, "v1,c29tZXRoaW5nIGVsc2U= v1," + signature);
        return request;
    }

    public static HttpRequestMessage Post(string provider, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, new Uri("/hooks/" + provider, UriKind.Relative)) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    /// <summary>
    /// Delivers every message of the webhooks queue to the app's <c>webhooks</c> function until the queue is empty, as the
    /// host's queue processor does (docs/spec/functions-host.md): success deletes; a failure makes the message visible again,
    /// and a failure on the <see cref="MaxDequeueCount"/>-th delivery moves it to the poison queue. Returns the invocations.
    /// </summary>
    public async Task<int> DrainAsync()
    {
        var function = Worker.Channel.Find("webhooks") ?? throw new InvalidOperationException("The app has no webhooks function.");
        await Queue.CreateIfNotExistsAsync();
        var invocations = 0;
        while (true)
        {
            var received = (await Queue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value;
            if (received.Length == 0)
            {
                return invocations;
            }

            var message = received[0];
            var text = message.Body.ToString();
            var result = await Worker.Channel.InvokeAsync(QueueInvocation.Create(function, InvocationIds.New(),
                new QueueDelivery(message.MessageId, message.PopReceipt, text, message.DequeueCount, message.InsertedOn, message.ExpiresOn, message.NextVisibleOn)));
            invocations++;
            if (result.Succeeded)
            {
                await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            else if (message.DequeueCount >= MaxDequeueCount)
            {
                await PoisonQueue.CreateIfNotExistsAsync();
                await PoisonQueue.SendMessageAsync(text);
                await Queue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
            }
            else
            {
                await Queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, visibilityTimeout: TimeSpan.Zero);
            }
        }
    }

    /// <summary>Runs the <c>webhooks-sweep</c> timer function once.</summary>
    public async Task SweepAsync()
    {
        var function = Worker.Channel.Find("webhooks-sweep") ?? throw new InvalidOperationException("The app has no webhooks-sweep function.");
        var result = await Worker.Channel.InvokeAsync(TimerInvocation.Create(function, InvocationIds.New(), new TimerFiring(null, Clock.GetUtcNow(), null, IsPastDue: false)));
        Assert.True(result.Succeeded, result.Error);
    }

    public async Task<int> PoisonCountAsync()
    {
        await PoisonQueue.CreateIfNotExistsAsync();
        return (await PoisonQueue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
    }

    public async Task<int> QueuedCountAsync()
    {
        await Queue.CreateIfNotExistsAsync();
        return (await Queue.GetPropertiesAsync()).Value.ApproximateMessagesCount;
    }

    /// <summary>Moves the clock past the bus's stuck-record age (a duplicate or the sweep may then send a stuck record).</summary>
    public void PassStuckAge() => Clock.AdvanceTo(Clock.GetUtcNow() + new WebhookOptions().StuckAfter + TimeSpan.FromSeconds(1));
}

/// <summary>The same app with no webhook secret configured.</summary>
public sealed class UnconfiguredWebhookFixture : WebhookAppFixture
{
    protected override bool SecretsConfigured => false;
}

/// <summary>
/// The Stripe handler of the tests: counts calls per event and fails those it is told to. Its effect (the set of applied
/// event ids) is idempotent, as the bus requires of handlers: a second call for one event changes nothing.
/// </summary>
public sealed class CountingWebhookHandler : IWebhookHandler
{
    private readonly ConcurrentDictionary<string, int> _calls = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, WebhookEvent> _applied = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _failures = new(StringComparer.Ordinal);

    public string Provider => StripeSignatureVerifier.Name;

    public int Calls(string eventId) => _calls.TryGetValue(eventId, out var n) ? n : 0;

    public WebhookEvent? Applied(string eventId) => _applied.TryGetValue(eventId, out var e) ? e : null;

    /// <summary>Fails the next <paramref name="times"/> calls for the event (int.MaxValue: always).</summary>
    public void FailNext(string eventId, int times) => _failures[eventId] = times;

    public Task HandleAsync(WebhookEvent webhook, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(webhook);
        _calls.AddOrUpdate(webhook.EventId, 1, (_, n) => n + 1);
        if (_failures.TryGetValue(webhook.EventId, out var left) && left > 0)
        {
            _failures[webhook.EventId] = left == int.MaxValue ? left : left - 1;
            throw new InvalidOperationException($"test handler refuses {webhook.EventId}");
        }

        _applied.TryAdd(webhook.EventId, webhook);
        return Task.CompletedTask;
    }
}

/// <summary>One-shot crash points, armed by a test: each armed fault fires once, at the next matching write.</summary>
public sealed class WebhookFaults
{
    private int _sends;
    private int _addsAfterWrite;
    private int _replaces;

    /// <summary>The next send fails before it reaches the queue.</summary>
    public void FailNextSend() => Interlocked.Exchange(ref _sends, 1);

    /// <summary>The next insert reaches the table, then fails (the caller never hears it succeeded).</summary>
    public void FailNextAddAfterWrite() => Interlocked.Exchange(ref _addsAfterWrite, 1);

    /// <summary>The next <paramref name="count"/> compare-and-swap writes fail before they reach the table.</summary>
    public void FailNextReplaces(int count) => Interlocked.Exchange(ref _replaces, count);

    internal bool TakeSend() => Take(ref _sends);

    internal bool TakeAddAfterWrite() => Take(ref _addsAfterWrite);

    internal bool TakeReplace() => Take(ref _replaces);

    private static bool Take(ref int armed)
    {
        while (true)
        {
            var current = Volatile.Read(ref armed);
            if (current <= 0)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref armed, current - 1, current) == current)
            {
                return true;
            }
        }
    }
}

/// <summary>Thrown in place of a write, as if the process died there.</summary>
public sealed class InjectedCrashException(string point) : Exception("Injected crash: " + point);

internal sealed class FaultyQueueSender(IDelayedQueueSender inner, WebhookFaults faults) : IDelayedQueueSender
{
    public Task SendAsync(string queueName, string message, TimeSpan delay, CancellationToken cancellationToken = default) =>
        faults.TakeSend() ? throw new InjectedCrashException("send " + queueName) : inner.SendAsync(queueName, message, delay, cancellationToken);
}

internal sealed class FaultyWebhookStore(IWebhookStore inner, WebhookFaults faults) : IWebhookStore
{
    public async Task<string?> TryAddAsync(WebhookRecord record, CancellationToken cancellationToken)
    {
        var added = await inner.TryAddAsync(record, cancellationToken);
        return added is not null && faults.TakeAddAfterWrite() ? throw new InjectedCrashException("after insert " + record.EventId) : added;
    }

    public Task<StoredWebhook?> GetAsync(string provider, string eventId, CancellationToken cancellationToken) => inner.GetAsync(provider, eventId, cancellationToken);

    public Task<bool> TryReplaceAsync(WebhookRecord record, string etag, CancellationToken cancellationToken) =>
        faults.TakeReplace() ? throw new InjectedCrashException("replace " + record.EventId) : inner.TryReplaceAsync(record, etag, cancellationToken);

    public Task<WebhookPage> ListAsync(string? provider, string? state, int limit, string? continuation, CancellationToken cancellationToken) =>
        inner.ListAsync(provider, state, limit, continuation, cancellationToken);

    public Task<IReadOnlyList<WebhookRecord>> ListStuckAsync(string state, DateTimeOffset before, int max, CancellationToken cancellationToken) =>
        inner.ListStuckAsync(state, before, max, cancellationToken);
}
