using System.Diagnostics;
using System.Globalization;
using System.Text;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// Runs <c>wrk</c> (Debian's package) with a generated Lua script that POSTs one fixed JSON body. wrk keeps every
/// connection open (HTTP/1.1 keep-alive) and sends the next request as soon as the answer arrives (closed loop).
/// </summary>
internal static class WrkRunner
{
    /// <summary>The wrk executable on PATH, or null.</summary>
    public static string? Find() =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty)
            .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(directory => Path.Combine(directory, "wrk"))
            .FirstOrDefault(File.Exists);

    /// <summary>Writes the script: POST with Content-Type application/json and <paramref name="body"/> (a long-bracket Lua string, so no escaping).</summary>
    public static string WriteScript(string directory, string body)
    {
        if (body.Contains("]==]", StringComparison.Ordinal))
        {
            throw new ArgumentException("The body cannot be embedded in a Lua long-bracket string.", nameof(body));
        }

        var path = Path.Combine(directory, "verify.lua");
        File.WriteAllText(path, new StringBuilder()
            .AppendLine("wrk.method = \"POST\"")
            .AppendLine("wrk.headers[\"Content-Type\"] = \"application/json\"")
            .Append("wrk.body = [==[").Append(body).AppendLine("]==]")
            .ToString());
        return path;
    }

    public static async Task<WrkResult> RunAsync(string wrk, Uri url, string script, int seconds, int connections, int threads)
    {
        var start = new ProcessStartInfo(wrk)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in (string[])[
            "-t", Text(threads), "-c", Text(connections), "-d", Text(seconds) + "s", "--timeout", "10s", "--latency", "-s", script, url.ToString()])
        {
            start.ArgumentList.Add(argument);
        }

        using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start wrk.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var output = await stdout;
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"wrk failed ({process.ExitCode}): {(await stderr).Trim()}");
        }

        return WrkResult.Parse(output);
    }

    private static string Text(int value) => value.ToString(CultureInfo.InvariantCulture);
}
