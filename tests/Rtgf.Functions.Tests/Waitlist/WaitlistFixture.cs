using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using Azure.Storage.Queues;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Azure.Pipeline.Messages;
using Rtgf.Azure.Waitlist;
using Rtgf.Functions.Tests.Support;
using Rtgf.Functions.Waitlist;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Tests.Waitlist;

/// <summary>
/// The real app on Azurite with the waitlist in this fixture's tables (leads, the shared usage counters) and queues (the
/// comms outbox: <c>{prefix}rtgf-comms</c>), a fixed link key and base URL, and small hourly limits. The anonymous tier's
/// per-minute bucket is raised so the waitlist's own limits are what the tests meet. Each test signs up from its own
/// client address (<c>X-Forwarded-For</c>, as the front end sets it) and its own email domain.
/// </summary>
public sealed class WaitlistFixture : StoredAppFixture
{
    public const string LinkKey = "d2FpdGxpc3QtdGVzdC1saW5rLWtleS0wMTIzNDU2Nzg5YWJjZGVm"; // 48 bytes
    public const string LinkBase = "https://rtgf.test/";
    public const int PerIp = 10;
    public const int PerAddress = 3;

    private readonly ConcurrentQueue<CommsRequest> _sent = new();

    public WaitlistFixture()
        : base(new DateTimeOffset(2026, 12, 5, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public TableLeadStore Leads => Services.GetRequiredService<TableLeadStore>();

    public QueueClient CommsQueue => Azurite.QueueService(new QueueClientOptions { MessageEncoding = StorageQueueSender.Encoding }).GetQueueClient(Prefix + CommsOutbox.Queue);

    protected override IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>(base.Settings)
    {
        [MagicLinks.Setting] = LinkKey,
        [WaitlistSettings.LinkBaseUrlSetting] = LinkBase,
        [WaitlistSettings.PerIpSetting] = PerIp.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [WaitlistSettings.PerAddressSetting] = PerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["ApiAccess:AnonymousRequestsPerMinute"] = "1000000",
    };

    protected override Task SeedAsync() => Task.CompletedTask;

    protected override void ConfigureStoredServices(IServiceCollection services)
    {
        services.RemoveAll<IDelayedQueueSender>();
        services.AddSingleton<IDelayedQueueSender>(_ => new StorageQueueSender(Azurite.Connection, Prefix));
    }

    /// <summary>Every comms message enqueued so far to addresses at <paramref name="domain"/>, in queue order (read off the queue through the SDK).</summary>
    public async Task<IReadOnlyList<CommsRequest>> SentToAsync(string domain)
    {
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
