using Rtgf.Benchmarks.Startup;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// The in-process ceiling for <c>/verify</c>: one shared <see cref="Es256TokenVerifier"/> over the published JWKS (as the
/// app keeps one) verifying the same token in a loop on N threads for a wall-clock budget.
/// Signature and claims only: no HTTP, JSON body, status-list lookup or logging.
/// </summary>
internal static class InProcessVerifyRate
{
    public static double Measure(JsonWebKeySet keys, string token, int threads, TimeSpan budget)
    {
        var clock = BenchClock.System;
        using var verifier = new Es256TokenVerifier(keys, clock);
        for (var i = 0; i < 1000; i++)
        {
            Check(verifier.Verify(token));
        }

        var counts = new long[threads];
        var started = clock.GetTimestamp();
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var count = 0L;
            while (clock.GetElapsedTime(started) < budget)
            {
                for (var i = 0; i < 64; i++)
                {
                    Check(verifier.Verify(token));
                }

                count += 64;
            }

            counts[t] = count;
        })).ToList();
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        return counts.Sum() / clock.GetElapsedTime(started).TotalSeconds;
    }

    private static void Check(TokenVerdict verdict)
    {
        if (!verdict.IsValid)
        {
            throw new InvalidOperationException("The load token did not verify in process: " + string.Join("; ", verdict.Failures));
        }
    }
}
