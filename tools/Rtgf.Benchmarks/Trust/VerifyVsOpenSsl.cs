using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Benchmarks.Trust;

/// <summary>
/// `verify-vs-openssl [seconds]`: runs `openssl speed -seconds N ecdsap256`, then our verifier single-threaded for the same
/// N seconds on a real reference token, and prints both rates and their ratio (bar: at least 0.70).
/// </summary>
internal static partial class VerifyVsOpenSsl
{
    public static async Task<int> RunAsync(string[] args)
    {
        var seconds = args is [var s, ..] ? int.Parse(s, CultureInfo.InvariantCulture) : 3;
        var openSsl = await RunOpenSslAsync(seconds);
        var ours = MeasureOurs(seconds);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"openssl speed ecdsap256 verify/s (per user-CPU second): {openSsl,8:N1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Es256TokenVerifier verify/s (1 thread, per CPU second): {ours,8:N1}"));
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio: {ours / openSsl:P1} (bar: 70%)"));
        return ours / openSsl >= 0.70 ? 0 : 1;
    }

    private static async Task<double> RunOpenSslAsync(int seconds)
    {
        var start = new ProcessStartInfo("openssl")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { "speed", "-seconds", seconds.ToString(CultureInfo.InvariantCulture), "ecdsap256" })
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start openssl.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"openssl speed failed ({process.ExitCode}): {await stderr}");
        }

        // " 256 bits ecdsa (nistp256)   0.0000s   0.0001s  41085.7  13657.0": the last column is verify/s.
        var match = ResultLine().Match(output);
        return match.Success
            ? double.Parse(match.Groups["verify"].Value, CultureInfo.InvariantCulture)
            : throw new InvalidOperationException("Could not find the nistp256 result line in openssl's output:\n" + output);
    }

    private static double MeasureOurs(int seconds)
    {
        using var signer = LocalDevelopmentSigner.Create();
        var token = BenchTokens.SignOne(signer);
        using var verifier = new Es256TokenVerifier(new JsonWebKeySet([new JsonWebKey(signer.PublicKey)]), new FixedClock(BenchTokens.IssuedAt.AddDays(1)));
        for (var i = 0; i < 2000; i++)
        {
            Check(verifier.Verify(token));
        }

        // Budget in thread CPU time, as openssl speed counts user CPU time; the wall-clock rate is printed too.
        var budget = TimeSpan.FromSeconds(seconds);
        var count = 0L;
        var cpuStart = ThreadCpuClock.Now();
        var stopwatch = Stopwatch.StartNew();
        while (ThreadCpuClock.Now() - cpuStart < budget && stopwatch.Elapsed < budget * 10)
        {
            for (var i = 0; i < 256; i++)
            {
                Check(verifier.Verify(token));
            }

            count += 256;
        }

        var cpu = ThreadCpuClock.Now() - cpuStart;
        Console.WriteLine(string.Create(
            CultureInfo.InvariantCulture,
            $"Es256TokenVerifier: {count} verifications, {cpu.TotalSeconds:F2} s thread CPU, {stopwatch.Elapsed.TotalSeconds:F2} s wall ({count / stopwatch.Elapsed.TotalSeconds:N1}/s wall)"));
        return count / cpu.TotalSeconds;
    }

    private static void Check(TokenVerdict verdict)
    {
        if (!verdict.IsValid)
        {
            throw new InvalidOperationException("The benchmark token did not verify: " + string.Join("; ", verdict.Failures));
        }
    }

    [GeneratedRegex(@"ecdsa \(nistp256\)\s+\S+\s+\S+\s+(?<sign>[0-9.]+)\s+(?<verify>[0-9.]+)")]
    private static partial Regex ResultLine();
}
