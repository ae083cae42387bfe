using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using Rtgf.Functions.Endpoints;
using Rtgf.Functions.Http;
using Rtgf.Functions.Tests.Support;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Tests.Http;

/// <summary>
/// What an HTTP function's client sees when the function's result fails while it is written (<see cref="HttpProblemMiddleware"/>),
/// through the host.
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

    /// <summary>The app with JSON options that cannot write an <see cref="AreaDescription"/>.</summary>
    public sealed class FailingApp : FunctionsApp
    {
        protected override void ConfigureServices(IServiceCollection services)
        {
            services.Configure<HttpJsonOptions>(o => o.SerializerOptions.Converters.Add(new FailingConverter()));
        }
    }

    private sealed class FailingConverter : JsonConverter<AreaDescription>
    {
        public const string Message = "this test's JSON options cannot write an area description";

        public override AreaDescription Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) => throw new NotSupportedException();

        public override void Write(Utf8JsonWriter writer, AreaDescription value, JsonSerializerOptions options) => throw new InvalidOperationException(Message);
    }
}
