using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Configuration;
using Rtgf.FunctionsHost.Http;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Support;

/// <summary>
/// The real function app (<see cref="RtgfApp.Configure"/>, as Program.cs composes it) on the real isolated worker, in the
/// test process and driven by our gRPC Functions host (<see cref="InProcessWorker"/>): every request is routed by the host,
/// stamped with its invocation id and invoked over gRPC. Subclasses add settings and replace services before it starts.
/// </summary>
public class FunctionsApp : IAsyncLifetime, IAsyncDisposable
{
    private static int _apps;

    private InProcessWorker? _worker;

    public RecordingLoggerProvider Logs { get; } = new();

    public IServiceProvider Services => Worker.Services;

    public InProcessWorker Worker => _worker ?? throw new InvalidOperationException("The app has not started: call InitializeAsync (xunit does for fixtures).");

    /// <summary>A client whose requests go through the host to the app (base address <c>http://localhost/</c>).</summary>
    public HttpClient CreateClient(Action<HttpInvocation>? completed = null) => Worker.CreateClient(completed);

    /// <summary>The host's HTTP path to the app as a handler (for clients that build their own, such as the CLI).</summary>
    public HttpMessageHandler CreateHandler() => Worker.CreateHandler();

    public virtual Task InitializeAsync() => StartAsync();

    public virtual async Task DisposeAsync()
    {
        if (_worker is not null)
        {
            await _worker.DisposeAsync();
            _worker = null;
        }
    }

    async ValueTask IAsyncDisposable.DisposeAsync()
    {
        await DisposeAsync();
        GC.SuppressFinalize(this);
    }

    /// <summary>Settings the app reads (as app settings would give them).</summary>
    protected virtual IReadOnlyDictionary<string, string?> Settings => new Dictionary<string, string?>();

    /// <summary>Test doubles over the app's composition (decorators of the real readers, a manual clock, fixture-scoped stores).</summary>
    protected virtual void ConfigureServices(IServiceCollection services)
    {
    }

    protected async Task StartAsync()
    {
        var builder = FunctionsApplication.CreateBuilder([]);
        InProcessWorker.UseAppAssembly(builder, typeof(RtgfApp).Assembly);
        RtgfApp.Configure(builder);

        // Each app's traffic log in tables of its own (a subclass's Settings may name others), so apps never share rows.
        builder.Configuration.AddInMemoryCollection([new("Traffic:TablePrefix", "tfa" + Interlocked.Increment(ref _apps).ToString("D4", System.Globalization.CultureInfo.InvariantCulture))]);
        builder.Configuration.AddInMemoryCollection(Settings);
        builder.Services.AddSingleton<ILoggerProvider>(Logs);
        ConfigureServices(builder.Services);
        _worker = await InProcessWorker.StartAsync(builder, BuildOutput.Directory("Rtgf.Functions"));
    }
}
