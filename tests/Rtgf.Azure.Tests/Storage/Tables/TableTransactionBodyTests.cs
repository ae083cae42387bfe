using System.Text;
using Azure;
using Rtgf.Azure.Storage.Tables;

namespace Rtgf.Azure.Tests.Storage.Tables;

public sealed class TableTransactionBodyTests
{
    private static readonly Uri TableUri = new("http://127.0.0.1:10002/devstoreaccount1/orders");

    [Fact]
    public void Build_WritesOneChangesetWithCrlfPartsAndAbsoluteUris()
    {
        var actions = new[]
        {
            new TableTransactionAction(TableTransactionActionType.Add, new TableEntity("p1", "r1") { ["Amount"] = 5 }),
            new TableTransactionAction(TableTransactionActionType.UpdateMerge, new TableEntity("p1", "r2") { ["State"] = "done" }, new ETag("W/\"1\"")),
            new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity("p1", "r3")),
        };

        var (body, contentType) = TableTransactionBody.Build(TableUri, "orders", actions);
        var text = Encoding.UTF8.GetString(body);

        var batchBoundary = contentType["multipart/mixed; boundary=".Length..];
        Assert.StartsWith("batch_", batchBoundary, StringComparison.Ordinal);
        Assert.StartsWith($"--{batchBoundary}\r\nContent-Type: multipart/mixed; boundary=changeset_", text, StringComparison.Ordinal);
        Assert.Contains("POST http://127.0.0.1:10002/devstoreaccount1/orders HTTP/1.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("MERGE http://127.0.0.1:10002/devstoreaccount1/orders(PartitionKey='p1',RowKey='r2') HTTP/1.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("If-Match: W/\"1\"\r\n", text, StringComparison.Ordinal);
        Assert.Contains("DELETE http://127.0.0.1:10002/devstoreaccount1/orders(PartitionKey='p1',RowKey='r3') HTTP/1.1\r\n", text, StringComparison.Ordinal);
        Assert.Contains("If-Match: *\r\n", text, StringComparison.Ordinal);
        Assert.Contains("{\"PartitionKey\":\"p1\",\"RowKey\":\"r1\",\"Amount\":5}\r\n", text, StringComparison.Ordinal);
        Assert.EndsWith($"--{batchBoundary}--\r\n", text, StringComparison.Ordinal);
        Assert.DoesNotContain("x-ms-version", text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("Authorization", text, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public void Build_IsDeterministic()
    {
        var actions = new[] { new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity("p", "r") { ["X"] = 1 }) };

        var first = TableTransactionBody.Build(TableUri, "orders", actions);
        var second = TableTransactionBody.Build(TableUri, "orders", actions);

        Assert.Equal(first.Body, second.Body);
        Assert.Equal(first.ContentType, second.ContentType);
    }

    [Fact]
    public void ParseResponse_DocumentedErrorSample_YieldsTheErrorPart()
    {
        const string reply =
            "--batchresponse_7a0\r\n" +
            "Content-Type: multipart/mixed; boundary=changesetresponse_e5b\r\n\r\n" +
            "--changesetresponse_e5b\r\n" +
            "Content-Type: application/http\r\n" +
            "Content-Transfer-Encoding: binary\r\n\r\n" +
            "HTTP/1.1 409 Conflict\r\n" +
            "Content-ID: 2\r\n" +
            "X-Content-Type-Options: nosniff\r\n" +
            "Cache-Control: no-cache\r\n" +
            "DataServiceVersion: 3.0;\r\n" +
            "Content-Type: application/json;odata=minimalmetadata;streaming=true;charset=utf-8\r\n\r\n" +
            "{\"odata.error\":{\"code\":\"EntityAlreadyExists\",\"message\":{\"lang\":\"en-US\",\"value\":\"1:The specified entity already exists.\\nRequestId:2\\nTime:2026-11-22T01:02:03Z\"}}}\r\n" +
            "--changesetresponse_e5b--\r\n" +
            "--batchresponse_7a0--\r\n";

        var parts = TableTransactionBody.ParseResponse("multipart/mixed; boundary=batchresponse_7a0", reply);

        var part = Assert.Single(parts);
        Assert.Equal(409, part.Status);
        Assert.Equal("2", part.Headers["Content-ID"]);
        Assert.Contains("\"1:The specified entity", part.Body, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseResponse_Success_YieldsOnePartPerOperationWithETags()
    {
        const string reply =
            "--batchresponse_1\r\nContent-Type: multipart/mixed; boundary=changesetresponse_1\r\n\r\n" +
            "--changesetresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 204 No Content\r\nETag: W/\"a\"\r\n\r\n\r\n" +
            "--changesetresponse_1\r\nContent-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\nHTTP/1.1 204 No Content\r\nETag: W/\"b\"\r\n\r\n\r\n" +
            "--changesetresponse_1--\r\n--batchresponse_1--\r\n";

        var parts = TableTransactionBody.ParseResponse("multipart/mixed; boundary=batchresponse_1", reply);

        Assert.Equal([204, 204], parts.Select(p => p.Status));
        Assert.Equal(["W/\"a\"", "W/\"b\""], parts.Select(p => p.Headers["ETag"]));
    }

    [Fact]
    public async Task SubmitTransaction_ClientSideRules_AreCheckedBeforeSending()
    {
        var table = new TableClient("UseDevelopmentStorage=true", "orders");
        var tooMany = Enumerable.Range(0, 101).Select(i => new TableTransactionAction(TableTransactionActionType.UpsertMerge, new TableEntity("p", $"r{i}")));
        var twoPartitions = new[] { Upsert("p1", "r"), Upsert("p2", "r") };
        var duplicate = new[] { Upsert("p", "r"), Upsert("p", "r") };

        Assert.Contains("101", (await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(tooMany))).Message, StringComparison.Ordinal);
        Assert.Contains("one partition", (await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(twoPartitions))).Message, StringComparison.Ordinal);
        Assert.Contains("repeats RowKey", (await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync(duplicate))).Message, StringComparison.Ordinal);
        await Assert.ThrowsAsync<ArgumentException>(() => table.SubmitTransactionAsync([]));
    }

    private static TableTransactionAction Upsert(string pk, string rk) => new(TableTransactionActionType.UpsertMerge, new TableEntity(pk, rk));
}
