using System.Net;
using Azure;
using Azure.Core;
using Rtgf.Azure.Storage;
using Rtgf.Azure.Storage.Blobs;
using Rtgf.Azure.Storage.Queues;
using Rtgf.Azure.Storage.Tables;
using Rtgf.Testing;

namespace Rtgf.Azure.Tests.Storage.Internal;

/// <summary>Retries, bearer tokens, SAS and error mapping: the pipeline every storage client shares.</summary>
public sealed class StoragePipelineTests
{
    private const string AccountKey = "c2VjcmV0LWtleS1mb3ItcGlwZWxpbmUtdGVzdHM=";

    [Theory]
    [InlineData(HttpStatusCode.RequestTimeout)]
    [InlineData(HttpStatusCode.TooManyRequests)]
    [InlineData(HttpStatusCode.InternalServerError)]
    [InlineData(HttpStatusCode.BadGateway)]
    [InlineData(HttpStatusCode.ServiceUnavailable)]
    [InlineData(HttpStatusCode.GatewayTimeout)]
    public async Task TransientStatus_IsRetriedUntilSuccess(HttpStatusCode transient)
    {
        var handler = new ScriptedHttpHandler().Respond(transient).Respond(transient).Respond(HttpStatusCode.Created, headers: [("ETag", "\"0x2\""), ("Last-Modified", "Sun, 22 Nov 2026 01:02:03 GMT")]);
        var blob = Blob(handler);

        var result = await blob.UploadAsync(BinaryData.FromString("x"), overwrite: true);

        Assert.Equal(3, handler.Requests.Count);
        Assert.Equal("\"0x2\"", result.Value.ETag.ToString("H"));
    }

    [Fact]
    public async Task TransportFailure_IsRetried()
    {
        var handler = new ScriptedHttpHandler().Throw(new HttpRequestException("connection reset")).Respond(HttpStatusCode.NoContent);
        var table = Table(handler);

        var response = await table.DeleteEntityAsync("p", "r");

        Assert.Equal(204, response.Status);
        Assert.Equal(2, handler.Requests.Count);
    }

    [Fact]
    public async Task PersistentTransientStatus_FailsAfterMaxRetriesWithTypedException()
    {
        var handler = new ScriptedHttpHandler();
        for (var i = 0; i < 4; i++)
        {
            handler.Respond(HttpStatusCode.ServiceUnavailable, "<Error><Code>ServerBusy</Code><Message>Busy</Message></Error>", ("x-ms-error-code", "ServerBusy"));
        }

        var blob = Blob(handler, maxRetries: 3);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.GetPropertiesAsync());

        Assert.Equal(4, handler.Requests.Count);
        Assert.Equal(503, error.Status);
        Assert.Equal("ServerBusy", error.ErrorCode);
    }

    [Theory]
    [InlineData(HttpStatusCode.BadRequest)]
    [InlineData(HttpStatusCode.Forbidden)]
    [InlineData(HttpStatusCode.PreconditionFailed)]
    [InlineData(HttpStatusCode.NotImplemented)]
    [InlineData(HttpStatusCode.HttpVersionNotSupported)]
    public async Task PermanentStatus_IsNotRetried(HttpStatusCode permanent)
    {
        var handler = new ScriptedHttpHandler().Respond(permanent);
        var blob = Blob(handler);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.DeleteAsync());

        Assert.Single(handler.Requests);
        Assert.Equal((int)permanent, error.Status);
    }

    [Fact]
    public async Task XmlErrorBody_GivesStatusAndServiceErrorCode()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.PreconditionFailed, "<?xml version=\"1.0\"?><Error><Code>ConditionNotMet</Code><Message>The condition specified using HTTP conditional header(s) is not met.</Message></Error>");
        var blob = Blob(handler);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => blob.UploadAsync(BinaryData.FromString("x"), BlobUploadOptions(new ETag("\"0x1\""))));

        Assert.Equal(412, error.Status);
        Assert.Equal("ConditionNotMet", error.ErrorCode);
        Assert.Contains("condition specified", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ODataErrorBody_GivesServiceErrorCode()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.Conflict, """{"odata.error":{"code":"EntityAlreadyExists","message":{"lang":"en-US","value":"The specified entity already exists.\nRequestId:1"}}}""");
        var table = Table(handler);

        var error = await Assert.ThrowsAsync<RequestFailedException>(() => table.AddEntityAsync(new TableEntity("p", "r")));

        Assert.Equal(409, error.Status);
        Assert.Equal("EntityAlreadyExists", error.ErrorCode);
    }

    [Fact]
    public async Task BearerToken_IsSentWithStorageScopeVersionAndDate()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK, "<QueueMessagesList />");
        var credential = new RecordingCredential("token-123");
        var queue = new QueueServiceClient(new Uri("https://myaccount.queue.core.windows.net"), credential, Options(new QueueClientOptions(), handler)).GetQueueClient("jobs");

        await queue.PeekMessagesAsync();

        var request = Assert.Single(handler.Requests);
        Assert.Equal("Bearer token-123", request.Header("Authorization"));
        Assert.Equal("2025-01-05", request.Header("x-ms-version"));
        Assert.Equal("Sun, 22 Nov 2026 01:02:03 GMT", request.Header("x-ms-date"));
        Assert.Equal(["https://storage.azure.com/.default"], Assert.Single(credential.Requests).Scopes);
    }

    [Fact]
    public async Task BearerToken_OverPlainHttp_IsRefusedBeforeSending()
    {
        var handler = new ScriptedHttpHandler();
        var table = new TableClient(new Uri("http://127.0.0.1:10002/devstoreaccount1"), "orders", new RecordingCredential("t"), Options(new TableClientOptions(), handler));

        await Assert.ThrowsAnyAsync<InvalidOperationException>(() => table.GetEntityAsync("p", "r"));

        Assert.Empty(handler.Requests);
    }

    [Fact]
    public async Task SharedAccessSignature_IsAppendedToTheQuery()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.Created, headers: [("ETag", "\"0x1\""), ("Last-Modified", "Sun, 22 Nov 2026 01:02:03 GMT")]);
        var service = new BlobServiceClient(new Uri("https://myaccount.blob.core.windows.net"), new AzureSasCredential("sv=2025-01-05&sig=abc%3D"), Options(new BlobClientOptions(), handler));

        await service.GetBlobContainerClient("logs").GetBlobClient("a").UploadAsync(BinaryData.FromString("x"), overwrite: true);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("?sv=2025-01-05&sig=abc%3D", request.Uri.Query);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    private static BlobUploadOptions BlobUploadOptions(ETag etag) => new() { Conditions = BlobRequestConditions.MatchETag(etag) };

    private static BlobClient Blob(ScriptedHttpHandler handler, int maxRetries = 5) =>
        new BlobServiceClient(new Uri("https://myaccount.blob.core.windows.net"), new StorageSharedKeyCredential("myaccount", AccountKey), Options(new BlobClientOptions(), handler, maxRetries))
            .GetBlobContainerClient("logs").GetBlobClient("checkpoint");

    private static TableClient Table(ScriptedHttpHandler handler) =>
        new(new Uri("https://myaccount.table.core.windows.net"), "orders", new StorageSharedKeyCredential("myaccount", AccountKey), Options(new TableClientOptions(), handler));

    private static T Options<T>(T options, ScriptedHttpHandler handler, int maxRetries = 5)
        where T : StorageClientOptions
    {
        options.Transport = handler.Transport();
        options.TimeProvider = new ManualTimeProvider(new DateTimeOffset(2026, 11, 22, 1, 2, 3, TimeSpan.Zero));
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        options.Retry.MaxRetries = maxRetries;
        return options;
    }

    private sealed class RecordingCredential(string token) : TokenCredential
    {
        public List<TokenRequestContext> Requests { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Requests.Add(requestContext);
            return new AccessToken(token, DateTimeOffset.MaxValue);
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
