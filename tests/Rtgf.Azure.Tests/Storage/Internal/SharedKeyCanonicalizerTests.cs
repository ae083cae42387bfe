using System.Net;
using System.Security.Cryptography;
using System.Text;
using Rtgf.Azure.Storage;
using Rtgf.Azure.Storage.Blobs;
using Rtgf.Azure.Storage.Queues;
using Rtgf.Azure.Storage.Tables;
using Rtgf.Testing;

namespace Rtgf.Azure.Tests.Storage.Internal;

/// <summary>
/// The string-to-sign for each Shared Key scheme, written out by hand from "Authorize with Shared Key"
/// (learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key), checked against the wire
/// request the client actually sends and its Authorization header.
/// </summary>
public sealed class SharedKeyCanonicalizerTests
{
    private const string AccountKey = "c2VjcmV0LWtleS1mb3ItY2Fub25pY2FsaXNhdGlvbi10ZXN0cw==";
    private const string Date = "Sun, 22 Nov 2026 01:02:03 GMT";
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 1, 2, 3, TimeSpan.Zero);

    [Fact]
    public async Task BlobUpload_SharedKey_SignsVerbLengthConditionsHeadersAndResource()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.Created, headers: ("ETag", "\"0x1\""));
        var blob = new BlobServiceClient(new Uri("https://myaccount.blob.core.windows.net"), new StorageSharedKeyCredential("myaccount", AccountKey), Options(new BlobClientOptions(), handler))
            .GetBlobContainerClient("logs").GetBlobClient("tile/0/x001");

        await blob.UploadAsync(BinaryData.FromString("hello"), new BlobUploadOptions
        {
            HttpHeaders = new BlobHttpHeaders { ContentType = "text/plain" },
            Metadata = new Dictionary<string, string> { ["Source"] = "tga" },
            Conditions = BlobRequestConditions.CreateOnly,
        });

        var request = Assert.Single(handler.Requests);
        var expected =
            "PUT\n" +
            "\n" +           // Content-Encoding
            "\n" +           // Content-Language
            "5\n" +          // Content-Length
            "\n" +           // Content-MD5
            "\n" +           // Content-Type
            "\n" +           // Date (x-ms-date is used)
            "\n" +           // If-Modified-Since
            "\n" +           // If-Match
            "*\n" +          // If-None-Match
            "\n" +           // If-Unmodified-Since
            "\n" +           // Range
            "x-ms-blob-content-type:text/plain\n" +
            "x-ms-blob-type:BlockBlob\n" +
            $"x-ms-client-request-id:{request.Header("x-ms-client-request-id")}\n" +
            $"x-ms-date:{Date}\n" +
            "x-ms-meta-source:tga\n" +
            "x-ms-return-client-request-id:true\n" +
            "x-ms-version:2025-01-05\n" +
            "/myaccount/logs/tile/0/x001";
        AssertSigned(request, "SharedKey", "myaccount", expected);
        Assert.Equal("5", request.Header("Content-Length"));
        Assert.Equal("*", request.Header("If-None-Match"));
    }

    [Fact]
    public async Task BlobList_SharedKey_CanonicalisesQueryParametersSortedAndDecoded()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK, "<EnumerationResults><Blobs /></EnumerationResults>");
        var container = new BlobServiceClient(new Uri("https://myaccount.blob.core.windows.net"), new StorageSharedKeyCredential("myaccount", AccountKey), Options(new BlobClientOptions(), handler))
            .GetBlobContainerClient("logs");

        await foreach (var _ in container.GetBlobsAsync(prefix: "tile/a b"))
        {
        }

        var request = Assert.Single(handler.Requests);
        var expected =
            "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            $"x-ms-client-request-id:{request.Header("x-ms-client-request-id")}\n" +
            $"x-ms-date:{Date}\n" +
            "x-ms-return-client-request-id:true\n" +
            "x-ms-version:2025-01-05\n" +
            "/myaccount/logs\n" +
            "comp:list\n" +
            "prefix:tile/a b\n" +
            "restype:container";
        AssertSigned(request, "SharedKey", "myaccount", expected);
    }

    [Fact]
    public async Task BlobGetProperties_SharedKeyLite_SignsVerbTypeHeadersAndResource()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK, headers: [("ETag", "\"0x1\""), ("Last-Modified", Date)]);
        var options = Options(new BlobClientOptions { SharedKeyScheme = SharedKeyScheme.SharedKeyLite }, handler);
        var blob = new BlobServiceClient(new Uri("https://myaccount.blob.core.windows.net"), new StorageSharedKeyCredential("myaccount", AccountKey), options)
            .GetBlobContainerClient("logs").GetBlobClient("checkpoint");

        await blob.GetPropertiesAsync();

        var request = Assert.Single(handler.Requests);
        var expected =
            "HEAD\n\n\n\n" +
            $"x-ms-client-request-id:{request.Header("x-ms-client-request-id")}\n" +
            $"x-ms-date:{Date}\n" +
            "x-ms-return-client-request-id:true\n" +
            "x-ms-version:2025-01-05\n" +
            "/myaccount/logs/checkpoint";
        AssertSigned(request, "SharedKeyLite", "myaccount", expected);
    }

    [Fact]
    public async Task QueueReceive_SharedKey_IncludesEveryQueryParameter()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK, "<QueueMessagesList />");
        var queue = new QueueServiceClient(new Uri("https://myaccount.queue.core.windows.net"), new StorageSharedKeyCredential("myaccount", AccountKey), Options(new QueueClientOptions(), handler))
            .GetQueueClient("jobs");

        await queue.ReceiveMessagesAsync(maxMessages: 32, visibilityTimeout: TimeSpan.FromSeconds(30));

        var request = Assert.Single(handler.Requests);
        var expected =
            "GET\n\n\n\n\n\n\n\n\n\n\n\n" +
            $"x-ms-client-request-id:{request.Header("x-ms-client-request-id")}\n" +
            $"x-ms-date:{Date}\n" +
            "x-ms-return-client-request-id:true\n" +
            "x-ms-version:2025-01-05\n" +
            "/myaccount/jobs/messages\n" +
            "numofmessages:32\n" +
            "visibilitytimeout:30";
        AssertSigned(request, "SharedKey", "myaccount", expected);
    }

    [Fact]
    public async Task TableGet_SharedKeyLite_SignsDateAndEscapedResource()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.OK, """{"PartitionKey":"p1","RowKey":"r 1"}""", ("ETag", "W/\"1\""));
        var table = new TableClient(new Uri("https://myaccount.table.core.windows.net"), "orders", new StorageSharedKeyCredential("myaccount", AccountKey), Options(new TableClientOptions(), handler));

        await table.GetEntityAsync("p1", "r 1");

        var request = Assert.Single(handler.Requests);
        AssertSigned(request, "SharedKeyLite", "myaccount", $"{Date}\n/myaccount/orders(PartitionKey='p1',RowKey='r%201')");
        Assert.Equal("2019-02-02", request.Header("x-ms-version"));
    }

    [Fact]
    public async Task TableMerge_SharedKey_SignsVerbContentTypeDateAndResource()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.NoContent, headers: ("ETag", "W/\"2\""));
        var options = Options(new TableClientOptions { SharedKeyScheme = SharedKeyScheme.SharedKey }, handler);
        var table = new TableClient(new Uri("https://myaccount.table.core.windows.net"), "orders", new StorageSharedKeyCredential("myaccount", AccountKey), options);

        await table.UpsertEntityAsync(new TableEntity("p1", "r1") { ["State"] = "done" }, TableUpdateMode.Merge);

        var request = Assert.Single(handler.Requests);
        Assert.Equal("MERGE", request.Method.Method);
        AssertSigned(request, "SharedKey", "myaccount", $"MERGE\n\napplication/json\n{Date}\n/myaccount/orders(PartitionKey='p1',RowKey='r1')");
    }

    [Fact]
    public async Task TableOnAzurite_PathStyle_RepeatsTheAccountInTheResource()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.NoContent);
        var table = new TableClient(
            $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey={StorageConnectionString.DevelopmentAccountKey};TableEndpoint=http://127.0.0.1:10002/devstoreaccount1",
            "orders",
            Options(new TableClientOptions(), handler));

        await table.CreateIfNotExistsAsync();

        var request = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1/Tables"), request.Uri);
        AssertSigned(request, "SharedKeyLite", "devstoreaccount1", $"{Date}\n/devstoreaccount1/devstoreaccount1/Tables", StorageConnectionString.DevelopmentAccountKey);
    }

    [Fact]
    public async Task TableBatch_SharedKeyLite_SignsTheBatchResource()
    {
        var handler = new ScriptedHttpHandler().Respond(
            HttpStatusCode.Accepted,
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_1\r\n\r\n--changesetresponse_1\r\nContent-Type: application/http\r\n\r\nHTTP/1.1 204 No Content\r\nETag: W/\"3\"\r\n\r\n--changesetresponse_1--\r\n--batchresponse_1--\r\n",
            ("Content-Type", "multipart/mixed; boundary=batchresponse_1"));
        var table = new TableClient(new Uri("https://myaccount.table.core.windows.net"), "orders", new StorageSharedKeyCredential("myaccount", AccountKey), Options(new TableClientOptions(), handler));

        await table.SubmitTransactionAsync([new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "r"))]);

        var request = Assert.Single(handler.Requests);
        Assert.Equal(new Uri("https://myaccount.table.core.windows.net/$batch"), request.Uri);
        AssertSigned(request, "SharedKeyLite", "myaccount", $"{Date}\n/myaccount/$batch");
    }

    [Fact]
    public async Task Retry_SignsEveryAttemptAfresh()
    {
        var handler = new ScriptedHttpHandler().Respond(HttpStatusCode.ServiceUnavailable).Respond(HttpStatusCode.NoContent);
        var table = new TableClient(new Uri("https://myaccount.table.core.windows.net"), "orders", new StorageSharedKeyCredential("myaccount", AccountKey), Options(new TableClientOptions(), handler));

        await table.DeleteEntityAsync("p", "r");

        Assert.Equal(2, handler.Requests.Count);
        Assert.All(handler.Requests, r => AssertSigned(r, "SharedKeyLite", "myaccount", $"{Date}\n/myaccount/orders(PartitionKey='p',RowKey='r')"));
    }

    private static T Options<T>(T options, ScriptedHttpHandler handler)
        where T : StorageClientOptions
    {
        options.Transport = handler.Transport();
        options.TimeProvider = new ManualTimeProvider(Now);
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        return options;
    }

    private static void AssertSigned(CapturedRequest request, string scheme, string account, string expectedStringToSign, string key = AccountKey)
    {
        Assert.Equal(Date, request.Header("x-ms-date"));
        var signature = Convert.ToBase64String(HMACSHA256.HashData(Convert.FromBase64String(key), Encoding.UTF8.GetBytes(expectedStringToSign)));
        Assert.Equal($"{scheme} {account}:{signature}", request.Header("Authorization"));
    }
}
