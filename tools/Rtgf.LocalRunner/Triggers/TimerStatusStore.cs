using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;
using Rtgf.LocalRunner.Invocation;

namespace Rtgf.LocalRunner.Triggers;

/// <summary>
/// Timer schedule status in storage, where the host keeps it (<c>azure-webjobs-hosts/timers/...</c>), so a
/// run missed while the runner was stopped fires once at start with <c>IsPastDue</c>.
/// </summary>
internal sealed class TimerStatusStore(BlobContainerClient container, string hostId)
{
    public const string ContainerName = "azure-webjobs-hosts";

    public Task CreateAsync(CancellationToken cancellationToken) => container.CreateIfNotExistsAsync(cancellationToken: cancellationToken);

    public async Task<TimerStatus?> ReadAsync(string functionName, CancellationToken cancellationToken)
    {
        try
        {
            var content = (await Blob(functionName).DownloadContentAsync(cancellationToken: cancellationToken).ConfigureAwait(false)).Value.Content;
            var status = JsonNode.Parse(content.ToString());
            return new TimerStatus(
                status!["Last"]!.GetValue<DateTimeOffset>(),
                status["Next"]!.GetValue<DateTimeOffset>(),
                status["LastUpdated"]!.GetValue<DateTimeOffset>());
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            return null;
        }
        catch (Exception e) when (e is JsonException or NullReferenceException or FormatException or InvalidOperationException)
        {
            return null; // unreadable status: the schedule starts afresh, as the host does
        }
    }

    public Task WriteAsync(string functionName, TimerStatus status, CancellationToken cancellationToken)
    {
        var json = new JsonObject
        {
            ["Last"] = HostEnvelopes.Date(status.Last),
            ["Next"] = HostEnvelopes.Date(status.Next),
            ["LastUpdated"] = HostEnvelopes.Date(status.LastUpdated),
        };
        return Blob(functionName).UploadAsync(BinaryData.FromString(json.ToJsonString()), overwrite: true, cancellationToken);
    }

    private BlobClient Blob(string functionName) => container.GetBlobClient($"timers/{hostId}/Host.Functions.{functionName}/status");
}
