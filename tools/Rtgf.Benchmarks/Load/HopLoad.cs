using System.Net;
using System.Net.Http.Headers;
using System.Runtime.CompilerServices;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// A closed-loop load from this process: <c>connections</c> loops, each sending the next request as soon as the answer
/// (read whole) arrives, for a wall-clock budget; every latency is kept for the percentiles. Only a 200 counts as answered.
/// </summary>
internal static class HopLoad
{
    /// <summary>The same JSON body POSTed to <paramref name="uri"/> (as <c>/verify</c> is loaded).</summary>
    public static Task<HopLoadResult> RunAsync(HttpMessageInvoker http, Uri uri, byte[] body, int connections, TimeSpan duration, TimeProvider clock) =>
        RunAsync(http, _ => PostJson(uri, body), connections, duration, clock);

    /// <summary><paramref name="request"/> makes the n-th request of the run (n counts across all loops, from 0).</summary>
    public static async Task<HopLoadResult> RunAsync(HttpMessageInvoker http, Func<long, HttpRequestMessage> request, int connections, TimeSpan duration, TimeProvider clock)
    {
        var started = clock.GetTimestamp();
        var sequence = new StrongBox<long>(-1);
        var loops = Enumerable.Range(0, connections).Select(_ => Task.Run(() => LoopAsync(http, () => request(Interlocked.Increment(ref sequence.Value)), duration, started, clock))).ToList();
        var results = await Task.WhenAll(loops);
        var elapsed = clock.GetElapsedTime(started);
        var latencies = results.SelectMany(r => r.Latencies).Order().ToArray();
        return new HopLoadResult(latencies.Length, results.Sum(r => r.Failures), elapsed, latencies, results.Select(r => r.FirstFailure).FirstOrDefault(f => f is not null));
    }

    public static HttpRequestMessage PostJson(Uri uri, byte[] body)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, uri) { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        return request;
    }

    private static async Task<(List<double> Latencies, long Failures, string? FirstFailure)> LoopAsync(HttpMessageInvoker http, Func<HttpRequestMessage> next, TimeSpan duration, long started, TimeProvider clock)
    {
        var latencies = new List<double>(100_000);
        var failures = 0L;
        string? firstFailure = null;
        while (clock.GetElapsedTime(started) < duration)
        {
            var sent = clock.GetTimestamp();
            using var request = next();
            try
            {
                using var response = await http.SendAsync(request, CancellationToken.None);
                var answer = await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    failures++;
                    firstFailure ??= $"{request.Method} {request.RequestUri?.PathAndQuery}: HTTP {(int)response.StatusCode}: {System.Text.Encoding.UTF8.GetString(answer)}";
                    continue;
                }
            }
            catch (HttpRequestException e)
            {
                failures++;
                firstFailure ??= e.Message;
                continue;
            }

            latencies.Add(clock.GetElapsedTime(sent).TotalMilliseconds);
        }

        return (latencies, failures, firstFailure);
    }
}

/// <summary>Answered requests (200), failures, the run's wall time and every 200's latency in ms, sorted.</summary>
internal sealed record HopLoadResult(long Requests, long Failures, TimeSpan Elapsed, double[] LatenciesMs, string? FirstFailure)
{
    public double RequestsPerSecond => Requests / Elapsed.TotalSeconds;

    public double Percentile(double p) => LatenciesMs.Length == 0 ? double.NaN : LatenciesMs[Math.Clamp((int)Math.Ceiling(LatenciesMs.Length * p / 100) - 1, 0, LatenciesMs.Length - 1)];
}
