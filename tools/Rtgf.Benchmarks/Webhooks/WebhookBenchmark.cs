using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using Azure.Storage.Queues;
using Rtgf.Benchmarks.Hosting;
using Rtgf.Benchmarks.Startup;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Triggers;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Webhooks;

/// <summary>
/// `webhooks [events]`: the app's worker (Release, started as the runner starts it) on Azurite. First, <c>events</c>
/// signed Stripe deliveries, one at a time, through the host to <c>POST /hooks/stripe</c>: the time to the 200 (verify,
/// store the body, insert the record, send the message, mark it), p50/p99/max. Then the queue is dispatched by invoking
/// the <c>webhooks</c> function over gRPC as the runner's listener does (16 at a time, delete on success): events/s.
/// Each event is a <c>charge.refunded</c>, which the app's Stripe handler applies as nothing without calling Stripe: the bus's
/// own cost (a billing event would need the Stripe stand-in and measure Stripe's round trips too).
/// </summary>
internal static class WebhookBenchmark
{
    private const string Secret = "whsec_bench_0123456789";
    private const int Concurrency = 16;

    public static async Task<int> RunAsync(string[] args)
    {
        if (args.Length > 1 || (args.Length == 1 && (!int.TryParse(args[0], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) || parsed < 10)))
        {
            await Console.Error.WriteLineAsync("webhooks: usage: webhooks [events ≥ 10, default 1000]");
            return 2;
        }

        var events = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 1000;
        var root = RepositoryLayout.FindRoot();
        var clock = BenchClock.System;
        await using var azurite = await AzuriteServer.StartAsync(new AzuriteServerOptions(root));
        await using var host = await FunctionsHostServer.StartAsync();
        var settings = BenchWorker.Settings(root, azurite.ConnectionString, new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Stripe__WebhookSecret"] = Secret,
            ["AZURE_FUNCTIONS_ENVIRONMENT"] = "Development",
        });
        await using var worker = await BenchWorker.StartAsync(host, BenchWorker.AppDirectory(root), settings);
        while (!await AcceptsAsync(worker.WorkerUri.Port))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), clock);
        }

        // Warm-up: 20 deliveries, not counted.
        for (var i = 0; i < 20; i++)
        {
            await DeliverAsync(worker, "evt_warm_" + i.ToString(CultureInfo.InvariantCulture), clock);
        }

        var latencies = new List<double>(events);
        for (var i = 0; i < events; i++)
        {
            latencies.Add(await DeliverAsync(worker, "evt_bench_" + i.ToString("D6", CultureInfo.InvariantCulture), clock));
        }

        latencies.Sort();
        var queue = new QueueServiceClient(azurite.ConnectionString, new QueueClientOptions { MessageEncoding = QueueMessageEncoding.Base64 }).GetQueueClient("rtgf-webhooks");
        var function = worker.Channel.Find("webhooks") ?? throw new InvalidOperationException("The app has no webhooks function.");
        var began = clock.GetTimestamp();
        var dispatched = 0;
        while (true)
        {
            var batch = (await queue.ReceiveMessagesAsync(Concurrency, TimeSpan.FromMinutes(5))).Value;
            if (batch.Length == 0)
            {
                break;
            }

            await Task.WhenAll(batch.Select(async m =>
            {
                var result = await worker.Channel.InvokeAsync(QueueInvocation.Create(function, InvocationIds.New(),
                    new QueueDelivery(m.MessageId, m.PopReceipt, m.Body.ToString(), m.DequeueCount, m.InsertedOn, m.ExpiresOn, m.NextVisibleOn)));
                if (!result.Succeeded)
                {
                    throw new InvalidOperationException("webhooks failed: " + result.Error);
                }

                await queue.DeleteMessageAsync(m.MessageId, m.PopReceipt);
                Interlocked.Increment(ref dispatched);
            }));
        }

        var seconds = clock.GetElapsedTime(began).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"Webhooks through the app on Azurite ({RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} cores; load average {LoadAverage()}):"));
        Console.WriteLine("| measure | value |");
        Console.WriteLine("|---|---:|");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| acknowledgement p50 ({events} sequential POST /hooks/stripe) | {Percentile(latencies, 0.50):0.0} ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| acknowledgement p99 | {Percentile(latencies, 0.99):0.0} ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| acknowledgement max | {latencies[^1]:0.0} ms |"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| dispatch ({dispatched} messages, {Concurrency} at a time) | {dispatched / seconds:0} events/s |"));
        return Percentile(latencies, 0.99) < 50 ? 0 : 1;
    }

    private static async Task<double> DeliverAsync(BenchWorker worker, string id, TimeProvider clock)
    {
        var body = Encoding.UTF8.GetBytes(
            """{"id":"ID","object":"event","api_version":"VERSION","created":1764925200,"livemode":false,"pending_webhooks":1,"request":{"id":null,"idempotency_key":null},"type":"charge.refunded","data":{"object":{"id":"ch_1","object":"charge"}}}"""
                .Replace("ID", id, StringComparison.Ordinal).Replace("VERSION", Stripe.StripeConfiguration.ApiVersion, StringComparison.Ordinal));
        var t = clock.GetUtcNow().ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), (byte[])[.. Encoding.UTF8.GetBytes(t + "."), .. body]));
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri("http://localhost/hooks/stripe")) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        request.Headers.Add("Stripe-Signature", $"t={t},v1={signature}");
        var began = clock.GetTimestamp();
        using var response = await worker.Http.SendAsync(request, CancellationToken.None);
        await response.Content.ReadAsByteArrayAsync();
        var elapsed = clock.GetElapsedTime(began).TotalMilliseconds;
        return response.StatusCode == HttpStatusCode.OK
            ? elapsed
            : throw new InvalidOperationException($"POST /hooks/stripe answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Max(0, (int)Math.Ceiling(sorted.Count * p) - 1)];

    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

    private static async Task<bool> AcceptsAsync(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
