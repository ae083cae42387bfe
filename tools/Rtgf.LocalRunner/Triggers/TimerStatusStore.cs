using System.Text.Json;
using System.Text.Json.Nodes;
using Azure;
using Azure.Storage.Blobs;

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
            ["Last"] = Date(status.Last),
            ["Next"] = Date(status.Next),
            ["LastUpdated"] = Date(status.LastUpdated),
        };
        return Blob(functionName).UploadAsync(BinaryData.FromString(json.ToJsonString()), overwrite: true, cancellationToken);
    }

    private static string Date(DateTimeOffset value) => value.ToString("O", System.Globalization.CultureInfo.InvariantCulture);

    private BlobClient Blob(string functionName) => container.GetBlobClient($"timers/{hostId}/Host.Functions.{functionName}/status");
}

/// <summary>A timer's schedule status, as the host keeps it: the last run, the next one, and when it was written.</summary>
internal sealed record TimerStatus(DateTimeOffset Last, DateTimeOffset Next, DateTimeOffset LastUpdated);
