using System.Diagnostics;

namespace Rtgf.Tooling;

/// <summary>How to start a <see cref="ChildProcess"/>.</summary>
public sealed record ChildProcessStartInfo(string Name, string FileName)
{
    public IReadOnlyList<string> Arguments { get; init; } = [];

    public string? WorkingDirectory { get; init; }

    /// <summary>Environment variables to set (null removes one) on top of this process's environment.</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>Called for every line the process writes (stdout and stderr).</summary>
    public Action<string, bool>? OnOutputLine { get; init; }
}

/// <summary>
/// A child process whose output is captured line by line and which is stopped politely (SIGTERM, then a
/// kill of its whole tree) so nothing it started outlives it.
/// </summary>
public sealed class ChildProcess : IAsyncDisposable
{
    private const int KeptLines = 200;
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<int, Process> Running = new();
    private static readonly Lazy<string?> Setsid = new(() => new[] { "/usr/bin/setsid", "/bin/setsid" }.FirstOrDefault(File.Exists));
    private readonly Process _process;
    private readonly Queue<string> _recent = new();
    private readonly Action<string, bool>? _onOutputLine;

    private ChildProcess(Process process, string name, Action<string, bool>? onOutputLine)
    {
        _process = process;
        Name = name;
        _onOutputLine = onOutputLine;
    }

    public string Name { get; }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>The last lines the process wrote, for error messages.</summary>
    public IReadOnlyList<string> RecentOutput
    {
        get
        {
            lock (_recent)
            {
                return [.. _recent];
            }
        }
    }

    public static ChildProcess Start(ChildProcessStartInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);

        // A child in its own session (so its own process group) does not get the terminal's Ctrl-C: only we do, and we stop
        // our children in order. setsid execs in place (the child is no group leader), so the pid is the program's own.
        var setsid = OperatingSystem.IsWindows() || !IsFound(info.FileName) ? null : Setsid.Value;
        var startInfo = new ProcessStartInfo(setsid ?? info.FileName)
        {
            UseShellExecute = false,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            WorkingDirectory = info.WorkingDirectory ?? Directory.GetCurrentDirectory(),
        };
        if (setsid is not null)
        {
            startInfo.ArgumentList.Add(info.FileName);
        }

        foreach (var argument in info.Arguments)
        {
            startInfo.ArgumentList.Add(argument);
        }

        foreach (var (name, value) in info.Environment)
        {
            if (value is null)
            {
                startInfo.Environment.Remove(name);
            }
            else
            {
                startInfo.Environment[name] = value;
            }
        }

        var process = new Process { StartInfo = startInfo, EnableRaisingEvents = true };
        var child = new ChildProcess(process, info.Name, info.OnOutputLine);
        process.OutputDataReceived += (_, e) => child.OnLine(e.Data, isError: false);
        process.ErrorDataReceived += (_, e) => child.OnLine(e.Data, isError: true);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            process.Dispose();
            throw new InvalidOperationException($"Could not start {info.Name} ({info.FileName}): {e.Message}", e);
        }

        Running[process.Id] = process;
        process.Exited += (_, _) => Running.TryRemove(process.Id, out _);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return child;
    }

    /// <summary>
    /// Kills every child process still running, with its descendants, at once. For a forced exit, when there
    /// is no time to stop them politely: nothing this process started may outlive it.
    /// </summary>
    public static void KillAll()
    {
        foreach (var (_, process) in Running)
        {
            try
            {
                process.Kill(entireProcessTree: true);
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
        }
    }

    /// <summary>
    /// Runs a command to completion; throws <see cref="InvalidOperationException"/> with its last lines of output
    /// if it exits non-zero. Cancelling stops the command.
    /// </summary>
    public static async Task RunAsync(ChildProcessStartInfo info, CancellationToken cancellationToken = default)
    {
        await using var process = Start(info);
        try
        {
            await process.WaitForExitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            await process.StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            throw;
        }

        if (process.ExitCode != 0)
        {
            var tail = string.Join(Environment.NewLine, process.RecentOutput.Where(l => l.Trim().Length > 0).TakeLast(15));
            throw new InvalidOperationException($"{info.Name} failed (exit {process.ExitCode}):{Environment.NewLine}{tail}");
        }
    }

    /// <summary>Completes when the process has exited and its output has been read.</summary>
    public Task WaitForExitAsync(CancellationToken cancellationToken = default) => _process.WaitForExitAsync(cancellationToken);

    /// <summary>Sends Ctrl-C (SIGINT) to the process.</summary>
    public bool Interrupt() => ProcessSignals.TryInterrupt(_process);

    /// <summary>Sends Ctrl-C (SIGINT) to the process's whole process group, as a terminal does to its foreground group.</summary>
    public bool InterruptGroup() => ProcessSignals.TryInterruptGroup(_process);

    /// <summary>Asks the process to stop (SIGTERM); kills its whole tree if it has not exited after <paramref name="grace"/>.</summary>
    public async Task StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return;
        }

        if (ProcessSignals.TryTerminate(_process))
        {
            using var timeout = new CancellationTokenSource(grace);
            try
            {
                await _process.WaitForExitAsync(timeout.Token).ConfigureAwait(false);
                return;
            }
            catch (OperationCanceledException)
            {
                // Did not stop in time: fall through to the kill.
            }
        }

        try
        {
            _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Exited between the check and the kill.
        }

        await _process.WaitForExitAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync(TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        _process.Dispose();
    }

    // A program that is not there fails to start as before (Win32Exception), not as setsid's exit code 127.
    private static bool IsFound(string fileName) =>
        fileName.Contains(Path.DirectorySeparatorChar, StringComparison.Ordinal)
            ? File.Exists(fileName)
            : (System.Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries).Any(d => File.Exists(Path.Combine(d, fileName)));

    private void OnLine(string? line, bool isError)
    {
        if (line is null)
        {
            return;
        }

        lock (_recent)
        {
            _recent.Enqueue(line);
            while (_recent.Count > KeptLines)
            {
                _recent.Dequeue();
            }
        }

        _onOutputLine?.Invoke(line, isError);
    }
}
