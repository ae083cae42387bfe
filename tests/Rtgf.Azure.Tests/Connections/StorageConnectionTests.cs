using Azure.Identity;
using Rtgf.Azure.Connections;
using Rtgf.Tooling;

namespace Rtgf.Azure.Tests.Connections;

public sealed class StorageConnectionTests
{
    private static readonly string AzuriteConnection = new AzuriteAccount(
        new Uri("http://127.0.0.1:10000/devstoreaccount1"), new Uri("http://127.0.0.1:10001/devstoreaccount1"), new Uri("http://127.0.0.1:10002/devstoreaccount1")).ConnectionString;

    [Fact]
    public void ConnectionString_Locally_ServesEveryServiceAtItsEndpoint()
    {
        var connection = StorageConnection.FromSettings(Settings(("RtgfStorage", AzuriteConnection)));

        Assert.False(connection.IsIdentityBased);
        Assert.Equal("http://127.0.0.1:10000/devstoreaccount1", connection.Blobs().Uri.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("http://127.0.0.1:10001/devstoreaccount1", connection.Queues().Uri.AbsoluteUri.TrimEnd('/'));
        Assert.Equal("devstoreaccount1", connection.Tables().AccountName);
    }

    [Theory]
    [InlineData("AzuriteConnection")]
    [InlineData("UseDevelopmentStorage=true")]
    [InlineData("BlobEndpoint=https://a.blob.core.windows.net;SharedAccessSignature=sv=2024-01-01&sig=x")]
    public void ConnectionStringWithASecret_OnAzure_IsRefusedNamingTheIdentitySettings(string value)
    {
        value = value == "AzuriteConnection" ? AzuriteConnection : value;
        var error = Assert.Throws<InvalidOperationException>(() =>
            StorageConnection.FromSettings(Settings(("RtgfStorage", value), ("WEBSITE_INSTANCE_ID", "abc"))));

        Assert.Contains("RtgfStorage__blobServiceUri", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("Eby8vdM02", error.Message, StringComparison.Ordinal); // the key is never echoed
    }

    [Fact]
    public void ServiceUris_AreIdentityBased_WithDefaultAzureCredential_EvenOnAzure()
    {
        var connection = StorageConnection.FromSettings(Settings(
            ("RtgfStorage__blobServiceUri", "https://acct.blob.core.windows.net"),
            ("RtgfStorage__queueServiceUri", "https://acct.queue.core.windows.net"),
            ("RtgfStorage__tableServiceUri", "https://acct.table.core.windows.net"),
            ("WEBSITE_INSTANCE_ID", "abc")));

        Assert.True(connection.IsIdentityBased);
        Assert.IsType<DefaultAzureCredential>(connection.Credential);
        Assert.Equal(new StorageIdentity(false, null, null), connection.Identity);
        Assert.Equal("https://acct.blob.core.windows.net/", connection.Blobs().Uri.AbsoluteUri);
        Assert.Equal("https://acct.table.core.windows.net/", connection.Tables().Uri.AbsoluteUri);
    }

    [Fact]
    public void ColonSpelling_FromConfiguration_IsReadToo()
    {
        // IConfiguration reads the environment variable RtgfStorage__queueServiceUri as RtgfStorage:queueServiceUri.
        var connection = StorageConnection.FromSettings(Settings(("RtgfStorage:queueServiceUri", "https://acct.queue.core.windows.net"), ("RtgfStorage:credential", "managedidentity"), ("RtgfStorage:clientId", "00000000-0000-0000-0000-000000000001")));

        Assert.True(connection.IsIdentityBased);
        Assert.Equal(new StorageIdentity(true, "00000000-0000-0000-0000-000000000001", null), connection.Identity);
        Assert.Equal("https://acct.queue.core.windows.net/", connection.Queues().Uri.AbsoluteUri);
    }

    [Fact]
    public void AccountName_NamesEveryEndpoint()
    {
        var connection = StorageConnection.FromSettings(Settings(("RtgfStorage__accountName", "acct")));

        Assert.Equal("https://acct.blob.core.windows.net/", connection.Blobs().Uri.AbsoluteUri);
        Assert.Equal("https://acct.queue.core.windows.net/", connection.Queues().Uri.AbsoluteUri);
        Assert.Equal("https://acct.table.core.windows.net/", connection.Tables().Uri.AbsoluteUri);
    }

    [Fact]
    public void MissingService_IsAClearErrorWhenAsked()
    {
        var connection = StorageConnection.FromSettings(Settings(("RtgfStorage__blobServiceUri", "https://acct.blob.core.windows.net")));

        var error = Assert.Throws<InvalidOperationException>(() => connection.Tables());

        Assert.Contains("RtgfStorage__tableServiceUri", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void NothingConfigured_IsAClearError()
    {
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromSettings(Settings()));

        Assert.Contains("'RtgfStorage' is not configured", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("http://acct.blob.core.windows.net")]
    [InlineData("http://127.0.0.1:10000/devstoreaccount1")]
    [InlineData("acct.blob.core.windows.net")]
    [InlineData("https://acct.blob.core.windows.net/?sv=2024-01-01&sig=secret")]
    public void PlainHttpRelativeOrSasServiceUri_IsRefused_WithoutEchoingIt(string uri)
    {
        // Bearer tokens never travel over plain HTTP; a query string could carry a SAS, which must not reach a log.
        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromSettings(Settings(("RtgfStorage__blobServiceUri", uri))));

        Assert.Contains("RtgfStorage__blobServiceUri", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(uri, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void UserAssignedIdentity_ByResourceId_IsAManagedIdentity()
    {
        const string resource = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg/providers/Microsoft.ManagedIdentity/userAssignedIdentities/rtgf";
        var connection = StorageConnection.FromSettings(Settings(
            ("RtgfStorage__accountName", "acct"), ("RtgfStorage__credential", "managedidentity"), ("RtgfStorage__managedIdentityResourceId", resource)));

        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
        Assert.Equal(new StorageIdentity(true, null, resource), connection.Identity);
    }

    [Fact]
    public void ManagedIdentityWithoutAnId_IsTheSystemAssignedOne()
    {
        var connection = StorageConnection.FromSettings(Settings(("RtgfStorage__accountName", "acct"), ("RtgfStorage__credential", "managedidentity")));

        Assert.IsType<ManagedIdentityCredential>(connection.Credential);
        Assert.Equal(new StorageIdentity(true, null, null), connection.Identity);
    }

    [Fact]
    public void ClientIdWithoutCredentialSetting_IsDefaultAzureCredentialsManagedIdentity()
    {
        // As the host reads the same settings for the triggers: the id names DefaultAzureCredential's managed identity.
        var connection = StorageConnection.FromSettings(Settings(("RtgfStorage__accountName", "acct"), ("RtgfStorage__clientId", "id-1")));

        Assert.IsType<DefaultAzureCredential>(connection.Credential);
        Assert.Equal(new StorageIdentity(false, "id-1", null), connection.Identity);
    }

    [Theory]
    [InlineData("RtgfStorage__clientId", "RtgfStorage__managedIdentityResourceId", "names its identity twice")]
    [InlineData("RtgfStorage__blobServiceUri", "RtgfStorage__accountName", "both RtgfStorage__accountName and a service URI")]
    public void AmbiguousSettings_AreRefused(string first, string second, string reason)
    {
        var values = new[] { (first, "https://acct.blob.core.windows.net"), (second, "acct") };
        if (!first.EndsWith("ServiceUri", StringComparison.Ordinal))
        {
            values = [.. values, ("RtgfStorage__accountName", "acct")];
        }

        var error = Assert.Throws<InvalidOperationException>(() => StorageConnection.FromSettings(Settings(values)));

        Assert.Contains(reason, error.Message, StringComparison.Ordinal);
    }

    private static Func<string, string?> Settings(params (string Key, string Value)[] values)
    {
        var map = values.ToDictionary(v => v.Key, v => v.Value, StringComparer.Ordinal);
        return key => map.GetValueOrDefault(key);
    }
}
