using System.Net;
using System.Net.Http.Json;
using System.Security.Cryptography;
using System.Text.Json;
using Rtgf.FunctionsHost.Http;
using Rtgf.Testing;

namespace Rtgf.FunctionsHost.Tests;

/// <summary>HTTP requests through the host's router and forwarder to the real worker's ASP.NET Core integration.</summary>
public sealed class HttpContractTests(ContractWorker worker) : IClassFixture<ContractWorker>
{
    [Theory]
    [InlineData("echo/abc?ID=other")]
    [InlineData("echo/abc?query=x")]
    [InlineData("echo/abc?Q=1&q=2")]
    public async Task Query_keys_that_differ_from_route_values_or_each_other_only_in_case_still_bind_the_route_value(string path)
    {
        // The worker reads trigger metadata case-insensitively: duplicate keys would fail every binding of the invocation.
        using var response = await worker.Client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("abc", (await response.Content.ReadFromJsonAsync<Echo>())!.Id);
    }

    [Fact]
    public async Task A_post_reaches_the_function_with_its_body_and_route_value()
    {
        byte[] body = "hello, worker"u8.ToArray();
        using var content = new ByteArrayContent(body);
        using var response = await worker.Client.PostAsync(new Uri("echo/xyz?q=two", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = (await response.Content.ReadFromJsonAsync<Echo>())!;
        Assert.Equal(("xyz", "POST", "two", body.LongLength), (echo.Id, echo.Method, echo.Query, echo.Length));
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), echo.Sha256);
    }

    [Fact]
    public async Task A_30_MB_body_arrives_whole()
    {
        var body = new byte[30 * 1024 * 1024];
        for (var i = 0; i < body.Length; i++)
        {
            body[i] = (byte)(i % 251);
        }

        using var content = new ByteArrayContent(body);
        using var response = await worker.Client.PostAsync(new Uri("echo/big", UriKind.Relative), content);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = (await response.Content.ReadFromJsonAsync<Echo>())!;
        Assert.Equal(body.LongLength, echo.Length);
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(body)), echo.Sha256);
    }

    [Fact]
    public async Task A_head_request_reaches_a_function_that_declares_head_and_gets_no_body()
    {
        using var request = new HttpRequestMessage(HttpMethod.Head, new Uri("echo/h", UriKind.Relative));
        using var response = await worker.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(await response.Content.ReadAsByteArrayAsync());
        var invocation = await Completed("Echo", i => i.Method == "HEAD" && i.Path == "/echo/h");
        Assert.True(invocation.Result?.Succeeded, invocation.Result?.Error);
    }

    [Fact]
    public async Task A_client_sent_invocation_header_is_replaced_by_the_hosts()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("echo/spoof", UriKind.Relative));
        request.Headers.Add(FunctionHttpHandler.InvocationIdHeader, "client-chosen");
        using var response = await worker.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var echo = (await response.Content.ReadFromJsonAsync<Echo>())!;
        Assert.NotEqual("client-chosen", echo.InvocationHeader);
        Assert.Equal(echo.InvocationId, echo.InvocationHeader);
    }

    [Fact]
    public async Task An_unknown_route_is_the_hosts_404_problem()
    {
        using var response = await worker.Client.GetAsync(new Uri("nowhere/at/all", UriKind.Relative));

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(404, problem.RootElement.GetProperty("status").GetInt32());
        Assert.DoesNotContain(worker.HttpInvocations, i => i.Path == "/nowhere/at/all");
    }

    [Fact]
    public async Task A_known_route_with_a_method_it_does_not_declare_is_the_hosts_405_problem_with_allow()
    {
        using var request = new HttpRequestMessage(HttpMethod.Delete, new Uri("echo/abc", UriKind.Relative));
        using var response = await worker.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.MethodNotAllowed, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal(["GET", "HEAD", "POST"], response.Content.Headers.Allow.Order(StringComparer.Ordinal));
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(405, problem.RootElement.GetProperty("status").GetInt32());
    }

    /// <summary>
    /// The real worker 2.52 (ASP.NET Core integration) completes a throwing function's HTTP response as an empty 200; only
    /// the InvocationResponse says it failed. The host fails the request instead (a 500): this host answers a 500 problem.
    /// </summary>
    [Fact]
    public async Task A_throwing_http_function_is_a_500_problem_with_the_invocation_id_and_no_exception()
    {
        using var response = await worker.Client.GetAsync(new Uri("fail", UriKind.Relative));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var text = await response.Content.ReadAsStringAsync();
        using var problem = JsonDocument.Parse(text);
        Assert.Equal(500, problem.RootElement.GetProperty("status").GetInt32());
        Assert.Equal("The function failed", problem.RootElement.GetProperty("title").GetString());
        var invocation = await Completed("Fail", _ => true);
        Assert.Equal(invocation.InvocationId, problem.RootElement.GetProperty("invocationId").GetString());
        Assert.Contains(invocation.InvocationId, problem.RootElement.GetProperty("detail").GetString(), StringComparison.Ordinal);
        Assert.DoesNotContain("on purpose", text, StringComparison.Ordinal);
        Assert.DoesNotContain("InvalidOperationException", text, StringComparison.Ordinal);
        Assert.Equal(500, invocation.Status);
        Assert.False(invocation.Result!.Succeeded);
        Assert.Contains("The function failed on purpose.", invocation.Result.Error, StringComparison.Ordinal);
    }

    /// <summary>A function that fails after its response started cannot become a 500: the client sees the body cut off, never a whole one.</summary>
    [Fact]
    public async Task A_function_that_fails_after_its_response_started_cuts_the_response_off()
    {
        using var response = await worker.Client.GetAsync(new Uri("fail-after-write", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var cut = await Assert.ThrowsAsync<HttpRequestException>(() => response.Content.ReadAsByteArrayAsync());
        Assert.Contains("cut off", Assert.IsType<IOException>(cut.InnerException).Message, StringComparison.Ordinal);
        var invocation = await Completed("FailAfterWrite", _ => true);
        Assert.Contains("failed after writing on purpose", invocation.Result!.Error, StringComparison.Ordinal);
    }

    /// <summary>
    /// 16 MiB streamed by the function while the client reads: the host must pass it through as it comes, not wait for the
    /// invocation first (the function's writes only complete as the client reads, so waiting would never end).
    /// </summary>
    [Fact]
    public async Task A_16_MB_response_streams_through_whole()
    {
        const int Megabytes = 16;
        using var deadlock = new CancellationTokenSource(TimeSpan.FromMinutes(2));
        using var response = await worker.Client.GetAsync(new Uri($"large/{Megabytes}", UriKind.Relative), HttpCompletionOption.ResponseHeadersRead, deadlock.Token);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        await using (var body = await response.Content.ReadAsStreamAsync(deadlock.Token))
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await body.ReadAsync(buffer, deadlock.Token)) > 0)
            {
                sha.AppendData(buffer, 0, read);
            }
        }

        var expected = new byte[Megabytes * 1024 * 1024];
        for (var i = 0; i < expected.Length; i++)
        {
            expected[i] = (byte)(i % 251);
        }

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(expected)), Convert.ToHexStringLower(sha.GetHashAndReset()));
        var invocation = await Completed("Large", _ => true);
        Assert.True(invocation.Result?.Succeeded, invocation.Result?.Error);
    }

    /// <summary>The host reports an HTTP invocation once the worker's InvocationResponse is in, which may be after the client's response.</summary>
    private async Task<HttpInvocation> Completed(string function, Func<HttpInvocation, bool> match) =>
        (await Eventually.ProbeAsync(
            () => Task.FromResult(worker.HttpInvocations.FirstOrDefault(i => i.Function == function && match(i))),
            i => i is not null,
            TimeSpan.FromSeconds(30),
            $"the {function} invocation to complete"))!;

    private sealed record Echo(string Id, string Method, string Query, long Length, string Sha256, string InvocationId, string InvocationHeader);
}
