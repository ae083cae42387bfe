using Rtgf.CustomHandler.Metadata;
using Rtgf.Tooling;

namespace Rtgf.LocalRunner.Hosting;

/// <summary>
/// Starts the handler exactly as the host does from host.json's <c>customHandler.description</c>: the
/// executable (relative to the working directory, else from PATH), the worker path and arguments with
/// <c>%VAR%</c> expanded, the app settings as environment variables, and FUNCTIONS_CUSTOMHANDLER_PORT.
/// Ready means <c>GET /</c> gets any HTTP answer.
/// </summary>
internal static class HandlerProcess
{
    public static async Task<(ChildProcess Process, int Port)> StartAsync(
        ScriptRoot scriptRoot,
        IReadOnlyDictionary<string, string> environment,
        Action<string, bool> onOutput,
        TimeSpan readyTimeout,
        TimeProvider timeProvider,
        CancellationToken cancellationToken)
    {
        var description = scriptRoot.Host.Description;
        var port = LoopbackPorts.Free();
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var (name, value) in environment)
        {
            env[name] = value;
        }

        env["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        env["FUNCTIONS_HTTPWORKER_PORT"] = env["FUNCTIONS_CUSTOMHANDLER_PORT"];
        env["FUNCTIONS_CUSTOMHANDLER_WORKER_ID"] = Invocation.HostRandom.NewId();
        env["FUNCTIONS_APP_ROOT_PATH"] = scriptRoot.Path;
        env["ASPNETCORE_URLS"] = null;

        string Expand(string value) => ExpandVariables(value, env);
        var workingDirectory = Path.GetFullPath(Path.Combine(scriptRoot.Path, Expand(description.WorkingDirectory)));
        var executable = Expand(description.DefaultExecutablePath);
        var candidate = Path.Combine(workingDirectory, executable);
        if (File.Exists(candidate))
        {
            executable = candidate;
        }

        var arguments = new List<string>();
        if (description.DefaultWorkerPath is { Length: > 0 } worker)
        {
            arguments.Add(Path.GetFullPath(Path.Combine(workingDirectory, Expand(worker))));
        }

        arguments.AddRange(description.Arguments.Select(Expand));
        var process = ChildProcess.Start(new ChildProcessStartInfo("handler", executable)
        {
            Arguments = arguments,
            WorkingDirectory = workingDirectory,
            Environment = env,
            OnOutputLine = onOutput,
        });

        try
        {
            await WaitUntilReadyAsync(process, port, readyTimeout, timeProvider, cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return (process, port);
    }

    private static async Task WaitUntilReadyAsync(ChildProcess process, int port, TimeSpan timeout, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/"), Timeout = TimeSpan.FromSeconds(5) };
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new RunnerException($"The handler exited (code {process.ExitCode}) before it was ready: {process.RecentOutput.LastOrDefault(l => l.Length > 0) ?? "(no output)"}");
            }

            try
            {
                using var response = await http.GetAsync(new Uri("/", UriKind.Relative), deadline.Token).ConfigureAwait(false);
                return; // any HTTP answer means ready, as for the host
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RunnerException($"The handler did not answer GET / within {timeout.TotalSeconds:0} s.");
            }

            try
            {
                await Task.Delay(TimeSpan.FromMilliseconds(25), timeProvider, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                throw new RunnerException($"The handler did not answer GET / within {timeout.TotalSeconds:0} s.");
            }
        }
    }

    /// <summary>Replaces <c>%NAME%</c> with the variable's value (unknown names stay as written), as the host does.</summary>
    public static string ExpandVariables(string value, IReadOnlyDictionary<string, string?> variables)
    {
        var result = value;
        foreach (var name in CustomHandler.Catalog.FunctionDefinition.SettingReferences(value))
        {
            var replacement = variables.TryGetValue(name, out var v) && v is not null ? v : Environment.GetEnvironmentVariable(name);
            if (replacement is not null)
            {
                result = result.Replace($"%{name}%", replacement, StringComparison.Ordinal);
            }
        }

        return result;
    }
}
