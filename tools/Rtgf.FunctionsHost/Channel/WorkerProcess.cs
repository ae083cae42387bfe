using System.Globalization;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Rpc;
using Rtgf.Tooling;

namespace Rtgf.FunctionsHost.Channel;

/// <summary>
/// A .NET isolated worker started as the host starts it (host <c>RpcWorkerContext</c>): <c>dotnet &lt;App&gt;.dll</c> from the
/// app directory with the <c>--functions-*</c> switches the worker reads, the app settings and the host's variables
/// (<c>FUNCTIONS_APPLICATION_DIRECTORY</c>, <c>FUNCTIONS_WORKER_DIRECTORY</c>) in its environment, its output drained.
/// Disposing sends <c>WorkerTerminate</c> and then ends the process (the worker does not exit when its stream closes).
/// </summary>
public sealed class WorkerProcess : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private WorkerProcess(ChildProcess process, WorkerChannel channel)
    {
        _process = process;
        Channel = channel;
    }

    public WorkerChannel Channel { get; }

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process wrote (for a start-up failure message).</summary>
    public IReadOnlyList<string> RecentOutput => _process.RecentOutput;

    /// <summary>Starts <paramref name="appDirectory"/>'s worker (its <c>worker.config.json</c> names the dll) and waits until every function is loaded.</summary>
    public static async Task<WorkerProcess> StartAsync(
        FunctionsHostServer host,
        string appDirectory,
        IReadOnlyDictionary<string, string?> settings,
        Action<RpcLog> log,
        Action<string, bool>? output,
        TimeSpan readyTimeout,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(settings);
        var config = WorkerConfig.Read(appDirectory);
        var workerId = InvocationIds.New();
        var requestId = InvocationIds.New();
        var channel = host.Expect(new WorkerLaunch(workerId, appDirectory, appDirectory), log);
        var environment = new Dictionary<string, string?>(settings, StringComparer.Ordinal)
        {
            ["FUNCTIONS_WORKER_DIRECTORY"] = appDirectory,
            ["FUNCTIONS_APPLICATION_DIRECTORY"] = appDirectory,
            ["FUNCTIONS_WORKER_RUNTIME"] = "dotnet-isolated",
            ["AzureWebJobsScriptRoot"] = appDirectory,
            // Kestrel must take the worker's own HttpUri, not an inherited ASPNETCORE_URLS.
            ["ASPNETCORE_URLS"] = null,
        };
        var max = int.MaxValue.ToString(CultureInfo.InvariantCulture);
        var process = ChildProcess.Start(new ChildProcessStartInfo("worker", config.Executable)
        {
            Arguments =
            [
                Path.Combine(appDirectory, config.WorkerPath),
                "--host", "127.0.0.1", "--port", host.Uri.Port.ToString(CultureInfo.InvariantCulture),
                "--workerId", workerId, "--requestId", requestId, "--grpcMaxMessageLength", max,
                "--functions-uri", host.Uri.ToString(), "--functions-worker-id", workerId,
                "--functions-request-id", requestId, "--functions-grpc-max-message-length", max,
            ],
            WorkingDirectory = appDirectory,
            Environment = environment,
            OnOutputLine = output,
        });

        try
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            deadline.CancelAfter(readyTimeout);
            var exited = process.WaitForExitAsync(deadline.Token);
            var ready = await Task.WhenAny(channel.Ready, exited).ConfigureAwait(false);
            if (ready != channel.Ready)
            {
                cancellationToken.ThrowIfCancellationRequested();
                throw new WorkerHandshakeException(process.HasExited
                    ? $"The worker exited (code {process.ExitCode}) before its functions were loaded: {process.RecentOutput.LastOrDefault(l => l.Length > 0) ?? "(no output)"}"
                    : $"The worker did not load its functions within {readyTimeout.TotalSeconds:0} s.");
            }

            try
            {
                await channel.Ready.ConfigureAwait(false);
            }
            catch (WorkerUnavailableException)
            {
                // The stream closed mid-handshake: the process is most likely exiting; its last words say why.
                try
                {
                    await process.WaitForExitAsync(CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(2), cancellationToken).ConfigureAwait(false);
                }
                catch (TimeoutException)
                {
                }
                throw new WorkerHandshakeException(
                    $"The worker closed its stream before its functions were loaded{(process.HasExited ? $" (exit code {process.ExitCode})" : string.Empty)}: {process.RecentOutput.LastOrDefault(l => l.Length > 0) ?? "(no output)"}");
            }

            return new WorkerProcess(process, channel);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>
    /// Sends <c>WorkerTerminate</c>, waits up to <paramref name="grace"/> for the process to end, then kills it. Returns
    /// whether it had to kill (false: the worker exited on its own, the normal path).
    /// </summary>
    public async Task<bool> StopAsync(TimeSpan grace)
    {
        if (_process.HasExited)
        {
            return false;
        }

        Channel.Terminate(grace);
        using var wait = new CancellationTokenSource(grace);
        try
        {
            await _process.WaitForExitAsync(wait.Token).ConfigureAwait(false);
            return false;
        }
        catch (OperationCanceledException)
        {
            // Did not stop in time: the kill below.
        }

        await _process.StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        return true;
    }

    /// <summary>The worker's exit code once it has exited.</summary>
    public int? ExitCode => _process.ExitCode;

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            await StopAsync(TimeSpan.FromSeconds(2)).ConfigureAwait(false);
        }

        await _process.DisposeAsync().ConfigureAwait(false);
    }
}
