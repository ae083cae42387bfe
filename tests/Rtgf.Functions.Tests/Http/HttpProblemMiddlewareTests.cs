using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.TestHost;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.Functions.Endpoints;
using Rtgf.Functions.Http;
using Rtgf.Functions.Tests.Support;
using Rtgf.FunctionsHost.Http;
using Rtgf.Pipeline.Registry;
using Rtgf.Testing;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Tests.Http;

/// <summary>
/// What an HTTP function's client sees when the function's result fails while it is written, and what the function sees
/// when its request is aborted (<see cref="HttpProblemMiddleware"/>, <see cref="RequestAbortedConverter"/>), through the host.
/// </summary>
public sealed class HttpProblemMiddlewareTests(HttpProblemMiddlewareTests.FailingApp app) : IClassFixture<HttpProblemMiddlewareTests.FailingApp>
{
    [Fact]
    public async Task ResultThatThrowsWhileWriting_IsA500Problem()
    {
        using var client = app.CreateClient();

        // DescribeVerifier returns Ok<AreaDescription>: it is serialised while the result executes, and the fixture's
        // JSON options cannot serialise it.
        using var response = await client.GetAsync(new Uri("/verify", UriKind.Relative));
        var problem = await response.Content.ReadFromJsonAsync<JsonObject>();

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(ProblemTypes.InvocationFailed, problem!["type"]!.GetValue<string>());
        Assert.Equal("DescribeVerifier", problem["function"]!.GetValue<string>());
        Assert.DoesNotContain(FailingConverter.Message, problem.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AbortedRequest_CancelsTheFunction()
    {
        // The host forwards the request to the worker's server and, on its own, sends no InvocationCancel here (the
        // client's request is not cancelled): only the forwarded request is aborted, as the Functions host's proxy aborts
        // it when its client disconnects. The function must see that through its CancellationToken.
        var server = (TestServer)app.Services.GetRequiredService<IServer>();
        using var abort = new CancellationTokenSource();
        using var client = new HttpClient(new FunctionHttpHandler(
            app.Worker.Channel, new HttpRouter(app.Worker.Channel.Functions, string.Empty), new Uri("http://localhost/"), new AbortingHandler(server.CreateHandler(), abort.Token), Eventually.RealTime))
        {
            BaseAddress = new Uri("http://localhost/"),
            Timeout = Timeout.InfiniteTimeSpan, // a client timeout would cancel the invocation through the host
        };

        var request = client.GetAsync(new Uri("/catalog", UriKind.Relative));
        if (await Task.WhenAny(request, app.Registry.Entered.Task).WaitAsync(TimeSpan.FromSeconds(30), Eventually.RealTime) == request)
        {
            using var early = await request;
            Assert.Fail($"The function answered before it reached the registry: {(int)early.StatusCode} {await early.Content.ReadAsStringAsync()}");
        }

        await abort.CancelAsync();

        // The registry waits on the function's CancellationToken only: it returns once the abort reached it.
        await app.Registry.Cancelled.Task.WaitAsync(TimeSpan.FromSeconds(30), Eventually.RealTime);
        Assert.NotNull(await Record.ExceptionAsync(() => request)); // the test server reports the abort as a failed read
    }

    /// <summary>The app with JSON options that cannot write an <see cref="AreaDescription"/> and a registry that waits for cancellation.</summary>
    public sealed class FailingApp : FunctionsApp
    {
        public WaitingRegistry Registry { get; } = new();

        protected override void ConfigureServices(IServiceCollection services)
        {
            services.RemoveAll<ITokenRegistry>();
            services.AddSingleton<ITokenRegistry>(Registry);
            services.Configure<HttpJsonOptions>(o => o.SerializerOptions.Converters.Add(new FailingConverter()));
        }
    }

    /// <summary><see cref="GetFamiliesAsync"/> (<c>GET /catalog</c>) waits until its token is cancelled; the rest is not used.</summary>
    public sealed class WaitingRegistry : ITokenRegistry
    {
        public TaskCompletionSource Entered { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public TaskCompletionSource Cancelled { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public async Task<IReadOnlyList<FamilySummary>> GetFamiliesAsync(CancellationToken cancellationToken = default)
        {
            var cancelled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            await using (cancellationToken.Register(() => cancelled.TrySetResult()))
            {
                Entered.TrySetResult();
                await cancelled.Task;
            }

            Cancelled.TrySetResult();
            cancellationToken.ThrowIfCancellationRequested();
            return [];
        }

        public Task<RegisteredToken?> GetAsync(string tokenId, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<RegistryPage<RegisteredToken>> ListAsync(string family, string? cursor, int pageSize, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<IReadOnlyList<RegisteredToken>> GetLatestAsync(string subject, string? family = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();

        public Task<Publication?> GetLatestPublicationAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
    }

    /// <summary>Sends the forwarded request with its own token, so the test can abort it alone.</summary>
    private sealed class AbortingHandler(HttpMessageHandler inner, CancellationToken abort) : DelegatingHandler(inner)
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) => base.SendAsync(request, abort);
    }

    private sealed class FailingConverter : JsonConverter<AreaDescription>
    {
        public const string Message = "this test's JSON options cannot write an area description";

        public override AreaDescription Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, AreaDescription value, JsonSerializerOptions options) => throw new InvalidOperationException(Message);
    }
}
