using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using Rtgf.Tooling;

namespace Rtgf.Benchmarks.Startup;

/// <summary>
/// Time from process start to the first answer to <c>GET /</c>: the handler (as the Functions host starts it,
/// with FUNCTIONS_CUSTOMHANDLER_PORT) next to a minimal ASP.NET Core app, both published the same way and
/// started alternately in one run so machine noise hits both. Reports medians and their ratio.
/// </summary>
internal static class StartupBenchmark
{
    public static async Task<int> RunAsync(string[] args)
    {
        var rounds = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 20;
        var root = RepositoryLayout.FindRoot();
        var output = Path.Combine(root, "artifacts", "bench", "startup");
        var handler = await PublishAsync(root, Path.Combine("functions", "Rtgf.Functions", "Rtgf.Functions.csproj"), Path.Combine(output, "handler"));
        var minimal = await PublishAsync(root, Path.Combine("tools", "Rtgf.Benchmarks.MinimalApp", "Rtgf.Benchmarks.MinimalApp.csproj"), Path.Combine(output, "minimal"));
        var clock = BenchClock.System;

        var subjects = new (string Name, string Executable, Func<int, Dictionary<string, string>> Environment)[]
        {
            ("Rtgf.Functions (custom handler)", Path.Combine(handler, "Rtgf.Functions"), port => new() { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = Port(port) }),
            ("minimal ASP.NET Core app", Path.Combine(minimal, "Rtgf.Benchmarks.MinimalApp"), port => new() { ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{Port(port)}" }),
        };

        // One untimed start of each warms the file cache and this process's client code.
        foreach (var subject in subjects)
        {
            await TimeStartAsync(subject.Executable, subject.Environment, clock);
        }

        var samples = subjects.Select(_ => new List<double>()).ToArray();
        for (var round = 0; round < rounds; round++)
        {
            for (var i = 0; i < subjects.Length; i++)
            {
                var index = (round + i) % subjects.Length; // alternate which goes first
                samples[index].Add(await TimeStartAsync(subjects[index].Executable, subjects[index].Environment, clock));
            }
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"Start to first GET / answer, {rounds} starts each, alternating ({RuntimeInformation.RuntimeIdentifier}, {Environment.ProcessorCount} cores):"));
        Console.WriteLine("| app | median ms | p90 ms | min ms |");
        Console.WriteLine("|---|---:|---:|---:|");
        for (var i = 0; i < subjects.Length; i++)
        {
            var sorted = samples[i].Order().ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"| {subjects[i].Name} | {Median(sorted):0.0} | {sorted[(int)Math.Ceiling(sorted.Count * 0.9) - 1]:0.0} | {sorted[0]:0.0} |"));
        }

        var ratio = Median([.. samples[0].Order()]) / Median([.. samples[1].Order()]);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ratio of medians (handler / minimal): {ratio:0.00} (bar: at most 1.50); handler median {Median([.. samples[0].Order()]):0} ms (bar: under 300 ms)"));
        return 0;
    }

    private static async Task<double> TimeStartAsync(string executable, Func<int, Dictionary<string, string>> environment, TimeProvider clock)
    {
        var port = LoopbackPorts.Free();
        var start = new ProcessStartInfo(executable) { UseShellExecute = false, RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Path.GetDirectoryName(executable)! };
        foreach (var (name, value) in environment(port))
        {
            start.Environment[name] = value;
        }

        var began = clock.GetTimestamp();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {executable}.");
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            while (!await AnswersAsync(port))
            {
                if (process.HasExited)
                {
                    throw new InvalidOperationException($"{executable} exited with {process.ExitCode} before answering.");
                }

                if (clock.GetElapsedTime(began) > TimeSpan.FromSeconds(30))
                {
                    throw new TimeoutException($"{executable} did not answer within 30 s.");
                }
            }

            return clock.GetElapsedTime(began).TotalMilliseconds;
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }
    }

    // A raw HTTP/1.1 request: no HTTP client warm-up in the measurement, and refused connections are cheap.
    private static async Task<bool> AnswersAsync(int port)
    {
        try
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            await socket.ConnectAsync(IPAddress.Loopback, port);
            await socket.SendAsync(Encoding.ASCII.GetBytes("GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"));
            var buffer = new byte[64];
            var read = await socket.ReceiveAsync(buffer);
            return read >= 12 && Encoding.ASCII.GetString(buffer, 0, 12) == "HTTP/1.1 200";
        }
        catch (SocketException)
        {
            return false;
        }
    }

    private static async Task<string> PublishAsync(string root, string project, string output)
    {
        Console.WriteLine($"publishing {project} (Release, {RuntimeInformation.RuntimeIdentifier}, self-contained, ReadyToRun)");
        await ChildProcess.RunAsync(new ChildProcessStartInfo($"dotnet publish {project}", "dotnet")
        {
            Arguments = ["publish", Path.Combine(root, project), "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-o", output, "--nologo", "-v", "quiet"],
            WorkingDirectory = root,
        });
        return output;
    }

    private static double Median(List<double> sorted) =>
        sorted.Count % 2 == 1 ? sorted[sorted.Count / 2] : (sorted[(sorted.Count / 2) - 1] + sorted[sorted.Count / 2]) / 2;

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);
}
