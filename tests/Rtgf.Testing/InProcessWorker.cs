using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Azure.Functions.Worker.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Http;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.Testing;

/// <summary>
/// A .NET isolated worker app built in the test process (so a test can replace its services), driven by our gRPC
/// host exactly as a worker process is: the worker connects to <see cref="FunctionsHostServer"/>, indexes and loads its
/// functions, and HTTP requests go through <see cref="FunctionHttpHandler"/> (routing, <c>x-ms-invocation-id</c>, the
/// invocation over gRPC). Only the worker's Kestrel is swapped for a test server, so no port is shared between apps.
/// </summary>
public sealed class InProcessWorker : IAsyncDisposable
{
    private readonly FunctionsHostServer _server;
    private readonly IHost _host;
    private readonly HttpRouter _router;
    private readonly TestServer _testServer;

    private InProcessWorker(FunctionsHostServer server, IHost host, WorkerChannel channel, string routePrefix)
    {
        _server = server;
        _host = host;
        Channel = channel;
        _router = new HttpRouter(channel.Functions, routePrefix);
        _testServer = (TestServer)host.Services.GetRequiredService<IServer>();
    }

    public IServiceProvider Services => _host.Services;

    public WorkerChannel Channel { get; }

    /// <summary>
    /// Runs what the worker runs from its entry assembly at start-up (the source-generated function metadata provider and
    /// executor, and the extensions' start-up code): in a test process the entry assembly is the test host, not the app.
    /// Call it right after <c>FunctionsApplication.CreateBuilder</c>.
    /// </summary>
    public static void UseAppAssembly(FunctionsApplicationBuilder builder, Assembly app)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(app);
        var hostBuilder = (IHostBuilder)typeof(FunctionsApplicationBuilder).GetProperty("HostBuilder", BindingFlags.Instance | BindingFlags.NonPublic)!.GetValue(builder)!;
        foreach (var type in app.GetTypes().Where(t => typeof(IAutoConfigureStartup).IsAssignableFrom(t) && t is { IsInterface: false, IsAbstract: false }))
        {
            ((IAutoConfigureStartup)Activator.CreateInstance(type)!).Configure(hostBuilder);
        }

        if (app.GetCustomAttribute<WorkerExtensionStartupCodeExecutorInfoAttribute>() is { } startup)
        {
            ((WorkerExtensionStartup)Activator.CreateInstance(startup.StartupCodeExecutorType)!).Configure(builder);
        }
    }

    /// <summary>Connects <paramref name="builder"/>'s worker to a new host server, builds and starts it, and waits for its functions to load.</summary>
    public static async Task<InProcessWorker> StartAsync(FunctionsApplicationBuilder builder, string appDirectory, Action<RpcLog>? log = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(builder);

        // The ASP.NET Core integration reads host.json (its route prefix) from here; the same for every app in the process.
        Environment.SetEnvironmentVariable("FUNCTIONS_APPLICATION_DIRECTORY", appDirectory);
        var server = await FunctionsHostServer.StartAsync(cancellationToken: cancellationToken).ConfigureAwait(false);
        try
        {
            var workerId = InvocationIds.New();
            var channel = server.Expect(new WorkerLaunch(workerId, appDirectory, appDirectory), log ?? (_ => { }));
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Functions:Worker:HostEndpoint"] = server.Uri.ToString(),
                ["Functions:Worker:WorkerId"] = workerId,
                ["Functions:Worker:RequestId"] = workerId,
                ["Functions:Worker:GrpcMaxMessageLength"] = int.MaxValue.ToString(CultureInfo.InvariantCulture),
            });
            builder.Services.AddSingleton<IServer, TestServer>();
            var host = builder.Build();
            try
            {
                await host.StartAsync(cancellationToken).ConfigureAwait(false);
                using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                deadline.CancelAfter(TimeSpan.FromSeconds(60));
                await channel.Ready.WaitAsync(deadline.Token).ConfigureAwait(false);
                return new InProcessWorker(server, host, channel, RoutePrefix(appDirectory));
            }
            catch
            {
                // Do not leave a started worker (its gRPC client, its test server) running in the test process.
                await host.StopAsync(CancellationToken.None).ConfigureAwait(false);
                host.Dispose();
                throw;
            }
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>An HTTP client whose requests go through the host to the worker (base address <c>http://localhost/</c>).</summary>
    public HttpClient CreateClient(Action<HttpInvocation>? completed = null) =>
#pragma warning disable CA2000 // The client owns the handler chain.
        new(CreateHandler(completed))
        {
            BaseAddress = new Uri("http://localhost/"),
        };
#pragma warning restore CA2000

    /// <summary>The host's HTTP path to the worker as a handler (for clients that build their own <see cref="HttpClient"/>, such as the CLI).</summary>
    public HttpMessageHandler CreateHandler(Action<HttpInvocation>? completed = null) =>
        new FunctionHttpHandler(Channel, _router, new Uri("http://localhost/"), _testServer.CreateHandler(), Eventually.RealTime, completed);

    public async ValueTask DisposeAsync()
    {
        Channel.Terminate(TimeSpan.Zero);
        await _host.StopAsync().ConfigureAwait(false);
        _host.Dispose();
        await _server.DisposeAsync().ConfigureAwait(false);
    }

    private static string RoutePrefix(string appDirectory)
    {
        var path = Path.Combine(appDirectory, "host.json");
        if (!File.Exists(path))
        {
            return "api";
        }

        using var document = JsonDocument.Parse(File.ReadAllText(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        return document.RootElement.TryGetProperty("extensions", out var extensions)
            && extensions.TryGetProperty("http", out var http)
            && http.TryGetProperty("routePrefix", out var prefix)
            && prefix.GetString() is { } value
            ? value
            : "api";
    }
}
