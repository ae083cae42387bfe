using System.Globalization;
using System.Text.RegularExpressions;

namespace Rtgf.Tooling;

/// <summary>How to run Azurite.</summary>
public sealed record AzuriteServerOptions(string RepositoryRoot)
{
    /// <summary>Keep everything in memory (tests); otherwise persist under <see cref="Location"/>.</summary>
    public bool InMemory { get; init; } = true;

    public string? Location { get; init; }

    /// <summary>0 lets the operating system pick a free port (read back from Azurite's output).</summary>
    public int BlobPort { get; init; }

    public int QueuePort { get; init; }

    public int TablePort { get; init; }

    /// <summary>PEM certificate and key: serve HTTPS (needed for bearer tokens).</summary>
    public string? CertificatePath { get; init; }

    public string? KeyPath { get; init; }

    /// <summary>Accept bearer tokens (Azurite checks issuer, audience and lifetime, not the signature).</summary>
    public bool OAuthBasic { get; init; }

    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Receives Azurite's output lines.</summary>
    public Action<string>? Log { get; init; }
}

/// <summary>Azurite could not be started; the message is one line saying why.</summary>
public sealed class AzuriteStartException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// An Azurite process (from the repository's npm lockfile) serving Blob, Queue and Table on loopback,
/// telemetry off. Stopping it stops the process and everything it started.
/// </summary>
public sealed partial class AzuriteServer : IAsyncDisposable
{
    private readonly ChildProcess _process;

    private AzuriteServer(ChildProcess process, AzuriteAccount account)
    {
        _process = process;
        Account = account;
    }

    public AzuriteAccount Account { get; }

    /// <summary>The explicit-endpoint connection string for the development account.</summary>
    public string ConnectionString => Account.ConnectionString;

    public int ProcessId => _process.Id;

    public bool HasExited => _process.HasExited;

    public static async Task<AzuriteServer> StartAsync(AzuriteServerOptions options, CancellationToken cancellationToken = default)
    {
        var executable = RepositoryLayout.AzuriteExecutable(options.RepositoryRoot);
        if (!File.Exists(executable))
        {
            throw new AzuriteStartException(
                $"Azurite is not installed ({Path.GetRelativePath(options.RepositoryRoot, executable)} is missing): run `npm ci` in {options.RepositoryRoot}.");
        }

        var arguments = new List<string>
        {
            "--disableTelemetry", "--silent",

            // The newest Azurite (3.37.0) knows service versions up to 2026-06-06; the SDK (Azure.Storage.Blobs 12.30.1) asks
            // for 2026-10-06, which Azurite would refuse with a 400. Nothing we use needs a newer version than it implements.
            "--skipApiVersionCheck",
            "--blobHost", "127.0.0.1", "--blobPort", Port(options.BlobPort),
            "--queueHost", "127.0.0.1", "--queuePort", Port(options.QueuePort),
            "--tableHost", "127.0.0.1", "--tablePort", Port(options.TablePort),
        };
        if (options.InMemory)
        {
            arguments.Add("--inMemoryPersistence");
        }
        else
        {
            var location = options.Location ?? throw new ArgumentException("Persistent Azurite needs a Location.", nameof(options));
            Directory.CreateDirectory(location);
            arguments.AddRange(["--location", location]);
        }

        if (options.CertificatePath is not null)
        {
            arguments.AddRange(["--cert", options.CertificatePath, "--key", options.KeyPath ?? throw new ArgumentException("HTTPS needs a KeyPath.", nameof(options))]);
        }

        if (options.OAuthBasic)
        {
            arguments.AddRange(["--oauth", "basic"]);
        }

        var endpoints = new Dictionary<string, Uri>(StringComparer.Ordinal);
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var process = ChildProcess.Start(new ChildProcessStartInfo("Azurite", executable)
        {
            Arguments = arguments,
            WorkingDirectory = options.InMemory ? options.RepositoryRoot : options.Location,
            OnOutputLine = (line, _) =>
            {
                options.Log?.Invoke(line);
                var match = ListeningLine().Match(line);
                if (!match.Success)
                {
                    return;
                }

                lock (endpoints)
                {
                    endpoints[match.Groups["service"].Value] = new Uri(match.Groups["url"].Value.TrimEnd('/') + "/" + AzuriteAccount.AccountName);
                    if (endpoints.Count == 3)
                    {
                        ready.TrySetResult();
                    }
                }
            },
        });

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(options.StartTimeout);
        var exited = process.WaitForExitAsync(timeout.Token);
        try
        {
            var first = await Task.WhenAny(ready.Task, exited).WaitAsync(timeout.Token).ConfigureAwait(false);
            if (first != ready.Task)
            {
                throw new AzuriteStartException($"Azurite exited (code {process.ExitCode}) before listening: {LastLine(process)}");
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw new AzuriteStartException(
                string.Create(CultureInfo.InvariantCulture, $"Azurite did not start listening within {options.StartTimeout.TotalSeconds:0} s: {LastLine(process)}"));
        }
        catch
        {
            await process.DisposeAsync().ConfigureAwait(false);
            throw;
        }

        return new AzuriteServer(process, new AzuriteAccount(endpoints["Blob"], endpoints["Queue"], endpoints["Table"]));
    }

    public async ValueTask DisposeAsync() => await _process.DisposeAsync().ConfigureAwait(false);

    private static string Port(int port) => port.ToString(CultureInfo.InvariantCulture);

    private static string LastLine(ChildProcess process) =>
        process.RecentOutput.LastOrDefault(l => !string.IsNullOrWhiteSpace(l)) ?? "(no output)";

    [GeneratedRegex(@"Azurite (?<service>Blob|Queue|Table) service is successfully listening at (?<url>https?://\S+)", RegexOptions.CultureInvariant)]
    private static partial Regex ListeningLine();
}
