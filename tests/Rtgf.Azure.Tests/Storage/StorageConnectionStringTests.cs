using Rtgf.Azure.Storage;

namespace Rtgf.Azure.Tests.Storage;

public sealed class StorageConnectionStringTests
{
    private const string Key = "a2V5LWJ5dGVzLWZvci10ZXN0cw==";

    [Fact]
    public void Parse_UseDevelopmentStorage_PointsAtAzuriteDefaults()
    {
        var connection = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        Assert.True(connection.IsDevelopmentStorage);
        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), connection.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), connection.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Equal("devstoreaccount1", connection.SharedKeyCredential?.AccountName);
    }

    [Fact]
    public void Parse_AccountAndSuffix_DerivesHostStyleEndpoints()
    {
        var connection = StorageConnectionString.Parse($"DefaultEndpointsProtocol=https;AccountName=rtgfprod;AccountKey={Key};EndpointSuffix=core.windows.net");

        Assert.Equal(new Uri("https://rtgfprod.blob.core.windows.net"), connection.BlobEndpoint);
        Assert.Equal(new Uri("https://rtgfprod.queue.core.windows.net"), connection.QueueEndpoint);
        Assert.Equal(new Uri("https://rtgfprod.table.core.windows.net"), connection.TableEndpoint);
        Assert.Equal("rtgfprod", connection.AccountName);
    }

    [Fact]
    public void Parse_SovereignCloudSuffix_IsHonoured()
    {
        var connection = StorageConnectionString.Parse($"AccountName=a1;AccountKey={Key};EndpointSuffix=core.usgovcloudapi.net");

        Assert.Equal(new Uri("https://a1.table.core.usgovcloudapi.net"), connection.TableEndpoint);
    }

    [Fact]
    public void Parse_ExplicitEndpoints_TakeAccountFromPathOnLoopback()
    {
        var connection = StorageConnectionString.Parse(
            $"DefaultEndpointsProtocol=http;AccountKey={Key};BlobEndpoint=http://127.0.0.1:41000/devstoreaccount1;TableEndpoint=http://127.0.0.1:41002/devstoreaccount1");

        Assert.Equal("devstoreaccount1", connection.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:41002/devstoreaccount1"), connection.TableEndpoint);
        Assert.Null(connection.QueueEndpoint);
    }

    [Fact]
    public void Parse_SharedAccessSignature_IsKeptWithoutLeadingQuestionMark()
    {
        var connection = StorageConnectionString.Parse("BlobEndpoint=https://acct.blob.core.windows.net;SharedAccessSignature=?sv=2025-01-05&sig=abc%3D");

        Assert.Equal("sv=2025-01-05&sig=abc%3D", connection.SharedAccessSignature);
        Assert.Null(connection.SharedKeyCredential);
        Assert.Equal("acct", connection.AccountName);
    }

    [Fact]
    public void ToConnectionString_RoundTrips()
    {
        var original = StorageConnectionString.Parse("UseDevelopmentStorage=true");

        var reparsed = StorageConnectionString.Parse(original.ToConnectionString());

        Assert.Equal(original.BlobEndpoint, reparsed.BlobEndpoint);
        Assert.Equal(original.QueueEndpoint, reparsed.QueueEndpoint);
        Assert.Equal(original.TableEndpoint, reparsed.TableEndpoint);
        Assert.Equal(original.AccountName, reparsed.AccountName);
        Assert.NotNull(reparsed.SharedKeyCredential);
    }

    [Fact]
    public void ToString_NeverContainsTheKey()
    {
        var connection = StorageConnectionString.Parse($"AccountName=rtgfprod;AccountKey={Key}");

        Assert.DoesNotContain(Key, connection.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Key, connection.SharedKeyCredential!.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("AccountName=a;AccountKey=not*base64", "AccountKey is not valid base64")]
    [InlineData("AccountName=a;AccountName=b", "appears twice")]
    [InlineData("justtext", "Name=Value")]
    [InlineData("DefaultEndpointsProtocol=ftp;AccountName=a", "DefaultEndpointsProtocol")]
    [InlineData("UseDevelopmentStorage=false", "UseDevelopmentStorage")]
    [InlineData("BlobEndpoint=not a uri", "BlobEndpoint")]
    [InlineData("AccountKey=a2V5", "names no endpoint")]
    public void Parse_Malformed_ThrowsNamingTheProblemWithoutEchoingSecrets(string connectionString, string expected)
    {
        var error = Assert.Throws<FormatException>(() => StorageConnectionString.Parse(connectionString));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("not*base64", error.Message, StringComparison.Ordinal);
    }
}
