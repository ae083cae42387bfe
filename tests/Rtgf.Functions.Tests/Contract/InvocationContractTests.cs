using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Rtgf.CustomHandler.Invocation;

namespace Rtgf.Functions.Tests.Contract;

/// <summary>
/// The custom-handler wire contract, driven through the real app with envelopes shaped exactly as the
/// Functions host sends them (values double-encoded by JsonConvert, dates and objects plain).
/// </summary>
public sealed class InvocationContractTests(FunctionsAppFactory app) : IClassFixture<FunctionsAppFactory>
{
    [Fact]
    public async Task Timer_EnvelopeGivesTypedTimerInfo_AndOutputsComeBackAsObjects()
    {
        using var response = await InvokeAsync("contract-timer", """
            {"Data":{"timer":{"Schedule":{"AdjustForDST":true},"ScheduleStatus":{"Last":"2026-11-22T01:00:00.0096035+00:00","Next":"2026-11-22T01:05:00+00:00","LastUpdated":"2026-11-22T01:00:00+00:00"},"IsPastDue":true}},
             "Metadata":{"sys":{"MethodName":"contract-timer","UtcNow":"2026-11-22T01:00:00.01Z","RandGuid":"0f1e"}}}
            """);

        var timer = Assert.IsType<TimerInfo>(app.Probe.Seen["contract-timer"]);
        Assert.True(timer.IsPastDue);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 5, 0, TimeSpan.Zero), timer.Next);

        var result = await ReadResultAsync(response);
        Assert.Equal("""{"next":[{"fired":true,"pastDue":true}]}""", result["Outputs"]!.ToJsonString());
        Assert.Equal(["timer ran"], result["Logs"]!.AsArray().Select(l => l!.GetValue<string>()));
    }

    [Fact]
    public async Task ServiceBus_DoubleEncodedBodyAndMetadata_AreDecoded()
    {
        using var response = await InvokeAsync("contract-bus", """
            {"Data":{"message":"\"{\\\"source\\\":\\\"tga\\\",\\\"count\\\":2}\""},
             "Metadata":{"DeliveryCount":"3","MessageId":"\"6f1d0c2a\"","LockToken":"\"ab12\"","SequenceNumber":"17","EnqueuedTimeUtc":"2026-11-22T01:02:03+00:00",
                         "UserProperties":{},"ApplicationProperties":{},"source":"\"tga\"","count":"2",
                         "sys":{"MethodName":"contract-bus","UtcNow":"2026-11-22T01:02:04Z","RandGuid":"77aa"}}}
            """);

        var message = Assert.IsType<TriggerMessage>(app.Probe.Seen["contract-bus"]);
        Assert.Equal("{\"source\":\"tga\",\"count\":2}", message.Body);
        Assert.Equal(3, message.DeliveryCount);
        Assert.Equal("6f1d0c2a", message.MessageId);
        Assert.Equal(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero), message.EnqueuedTime);

        var result = await ReadResultAsync(response);
        Assert.Equal("{\"source\":\"tga\",\"count\":2}", result["Outputs"]!["audit"]![0]!["received"]!.GetValue<string>());
    }

    [Fact]
    public async Task ServiceBus_BodyFieldsShadowingMetadataKeys_AreNotMistakenForTheBrokersValues()
    {
        // The host merges the body's properties into Metadata over its own DeliveryCount and MessageId.
        await InvokeAsync("contract-bus", """
            {"Data":{"message":"\"{\\\"MessageId\\\":\\\"from-the-body\\\",\\\"DeliveryCount\\\":99}\""},
             "Metadata":{"DeliveryCount":"99","MessageId":"\"from-the-body\"","EnqueuedTimeUtc":"2026-11-22T01:02:03+00:00","sys":{"MethodName":"contract-bus"}}}
            """);

        var message = Assert.IsType<TriggerMessage>(app.Probe.Seen["contract-bus"]);
        Assert.Null(message.MessageId);
        Assert.Null(message.DeliveryCount);
        Assert.Equal(["DeliveryCount", "MessageId"], message.ShadowedKeys.Order(StringComparer.Ordinal));
        Assert.Equal("{\"MessageId\":\"from-the-body\",\"DeliveryCount\":99}", message.Body);
    }

    [Fact]
    public async Task ServiceBus_SingleEncodedValues_AreToleratedWithTheSameResult()
    {
        await InvokeAsync("contract-bus", """
            {"Data":{"message":"{\"source\":\"tga\",\"count\":2}"},"Metadata":{"DeliveryCount":3,"MessageId":"6f1d0c2a"}}
            """);

        var message = Assert.IsType<TriggerMessage>(app.Probe.Seen["contract-bus"]);
        Assert.Equal("{\"source\":\"tga\",\"count\":2}", message.Body);
        Assert.Equal(3, message.DeliveryCount);
        Assert.Equal("6f1d0c2a", message.MessageId);
    }

    [Fact]
    public async Task StorageQueue_EnvelopeGivesDequeueCountAndId()
    {
        using var response = await InvokeAsync("contract-queue", """
            {"Data":{"message":"\"plain text body\""},
             "Metadata":{"DequeueCount":"2","ExpirationTime":"2026-11-29T01:00:00+00:00","Id":"\"800ae4b3\"","InsertionTime":"2026-11-22T01:00:00+00:00","NextVisibleTime":"2026-11-22T01:10:00+00:00","PopReceipt":"\"AgAAAAMAAAAAAAAAAgtnj8x+1QE=\"","sys":{"MethodName":"contract-queue"}}}
            """);

        var message = Assert.IsType<TriggerMessage>(app.Probe.Seen["contract-queue"]);
        Assert.Equal("plain text body", message.Body);
        Assert.Equal(2, message.DeliveryCount);
        Assert.Equal("800ae4b3", message.MessageId);
        Assert.Equal("{}", (await ReadResultAsync(response))["Outputs"]!.ToJsonString());
    }

    [Fact]
    public async Task Http_NotForwarded_AnswersThroughTheResOutputWithItsOtherOutputs()
    {
        using var response = await InvokeAsync("contract-http", """
            {"Data":{"req":{"Url":"http://localhost:7071/contract/42?x=1","Method":"POST","Query":{"x":"1"},"Headers":{"Content-Type":["text/plain"]},"Params":{"id":"42"},"Identities":[],"Body":"hello"}},
             "Metadata":{"sys":{"MethodName":"contract-http"}}}
            """);

        var request = Assert.IsType<HttpRequestData>(app.Probe.Seen["contract-http"]);
        Assert.Equal("hello", request.Body);
        var outputs = (await ReadResultAsync(response))["Outputs"]!;
        Assert.Equal(202, outputs["res"]!["statusCode"]!.GetValue<int>());
        Assert.Equal("{\"accepted\":\"42\"}", outputs["res"]!["body"]!.GetValue<string>());
        Assert.Equal("application/json", outputs["res"]!["headers"]!["Content-Type"]!.GetValue<string>());
        Assert.Equal("42", outputs["audit"]![0]!["id"]!.GetValue<string>());
    }

    [Fact]
    public async Task FailingFunction_AnswersNon2xxProblemWithoutTheExceptionText()
    {
        using var response = await InvokeAsync("contract-fail", """{"Data":{"message":"\"x\""},"Metadata":{}}""", invocationId: "inv-fail-1");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var body = await response.Content.ReadAsStringAsync();
        Assert.Contains("urn:rtgf:problem:invocation-failed", body, StringComparison.Ordinal);
        Assert.Contains("inv-fail-1", body, StringComparison.Ordinal);
        Assert.DoesNotContain("hunter2", body, StringComparison.Ordinal);
        Assert.DoesNotContain("\"Outputs\"", body, StringComparison.Ordinal);
        Assert.Contains(app.Logs.Entries, e => e.Level == LogLevel.Error && Equals(e.State.GetValueOrDefault("InvocationId"), "inv-fail-1"));
    }

    [Fact]
    public async Task OutputThatTheHostWouldCorrupt_FailsTheInvocationInsteadOfReachingIt()
    {
        using var response = await InvokeAsync("contract-bad-output", """{"Data":{"message":"\"x\""},"Metadata":{}}""");

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }

    [Theory]
    [InlineData("not json at all")]
    [InlineData("{\"Metadata\":{}}")]
    public async Task MalformedEnvelope_Is400Problem(string body)
    {
        using var response = await InvokeAsync("contract-bus", body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("urn:rtgf:problem:invalid-invocation", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageThatDoesNotFitItsContract_Is400SoItIsRetriedThenDeadLettered()
    {
        using var response = await InvokeAsync("contract-strict", """{"Data":{"message":"\"{\\\"source\\\":\\\"tga\\\",\\\"surprise\\\":1}\""},"Metadata":{}}""");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("StrictMessage", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task EveryInvocation_IsLoggedWithItsInvocationIdAndFunctionName()
    {
        await InvokeAsync("contract-queue", """{"Data":{"message":"\"x\""},"Metadata":{}}""", invocationId: "inv-logged-7");

        var entry = Assert.Single(app.Logs.Entries, e => e.Category.EndsWith("InvocationLogging", StringComparison.Ordinal) && Equals(e.State.GetValueOrDefault("InvocationId"), "inv-logged-7"));
        Assert.Equal("contract-queue", entry.State["FunctionName"]);
        Assert.Equal(200, entry.State["StatusCode"]);
        Assert.Equal("inv-logged-7", entry.Scopes["InvocationId"]);
    }

    [Fact]
    public async Task Readiness_AnswersAtOnceWithPlainText()
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri("/", UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("ready", await response.Content.ReadAsStringAsync());
    }

    private async Task<HttpResponseMessage> InvokeAsync(string function, string envelope, string invocationId = "inv-test")
    {
        using var client = app.CreateClient();
        using var request = new HttpRequestMessage(HttpMethod.Post, "/" + function)
        {
            Content = new StringContent(envelope, Encoding.UTF8, "application/json"),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", invocationId);
        request.Headers.Add("X-Azure-Functions-HostVersion", "4.1044.0");
        request.Headers.UserAgent.ParseAdd("Azure-Functions-Host/4.1044.0");
        return await client.SendAsync(request);
    }

    private static async Task<JsonNode> ReadResultAsync(HttpResponseMessage response)
    {
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        return JsonNode.Parse(await response.Content.ReadAsStringAsync())!;
    }
}
