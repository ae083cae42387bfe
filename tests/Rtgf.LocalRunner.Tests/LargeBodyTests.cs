using System.Net;
using Rtgf.Tooling;

namespace Rtgf.LocalRunner.Tests;

/// <summary>The runner with the host's default body limit (100 MB): a body above Kestrel's own default still gets through.</summary>
public sealed class LargeBodyTests : IAsyncLifetime, IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("rtgf-large-").FullName;
    private readonly EventLog _events = new();
    private ChildProcess? _process;
    private HttpClient _http = new();

    [Fact]
    public async Task Http_ChunkedBodyAboveKestrelsDefaultLimit_IsForwardedWhole()
    {
        // 32 MB chunked used to be a 500 with an empty body from the runner (Kestrel's 30,000,000-byte default). The runner
        // now forwards it whole; what the worker's own Kestrel then does with it is the app's setting, not the host's.
        var body = new byte[32 * 1024 * 1024];
        var since = _events.Events.Count;

        using var response = await _http.SendAsync(EndToEndTests.Chunked("echo/big", body));

        Assert.NotEqual(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.DoesNotContain(_events.Events.Skip(since), e => (string?)e["event"] is "refused" or "warning");
        await _events.WaitForAsync(e => EndToEndTests.Is(e, "invocation", "Echo") && (string?)e["path"] == "/echo/big", TimeSpan.FromSeconds(60), "the worker's invocation for the big body");
    }

    public async Task InitializeAsync()
    {
        _process = EndToEndTests.StartRunner(_directory, _events, SuiteRunnerOptions.NeverInATestRun);
        var ready = await _events.WaitForAsync(e => (string?)e["event"] == "ready", TimeSpan.FromSeconds(60), "the runner to be ready");
        _http.Dispose();
        _http = new HttpClient { BaseAddress = new Uri((string)ready["http"]!), Timeout = TimeSpan.FromMinutes(2) };
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        if (_process is not null)
        {
            _process.Interrupt();
            await _process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            await _process.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    public void Dispose()
    {
        _http.Dispose();
        _events.Dispose();
    }
}
