using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Rtgf.Azure.Connections;

namespace Rtgf.Functions.Workers;

/// <summary>
/// Reading and writing the pipeline's queue messages: JSON through the source-generated contexts (the contracts stay
/// transport-neutral), one message per output string.
/// </summary>
internal static class QueueMessages
{
    /// <summary>The app setting (prefix) of the storage account behind every trigger and output (docs/spec/storage.md).</summary>
    public const string Connection = StorageConnection.DefaultName;

    /// <summary>The message body as <typeparamref name="T"/>; a body that is not one throws, so the host retries and then poisons it.</summary>
    public static T Read<T>(string body, JsonTypeInfo<T> typeInfo) =>
        JsonSerializer.Deserialize(body, typeInfo)
            ?? throw new JsonException($"The message body is null, not a {typeof(T).Name}.");

    /// <summary>One output message: its JSON text (a string output is sent as is, never re-serialised).</summary>
    public static string Write<T>(T message, JsonTypeInfo<T> typeInfo) => JsonSerializer.Serialize(message, typeInfo);

    /// <summary>
    /// The delivered message's broker id (the <c>Id</c> trigger metadata, stable across redeliveries of that message), or
    /// null when there is none to trust: the host lets a JSON body's top-level members overwrite its metadata, so a body
    /// with an <c>Id</c> member (any case) chooses the bound value itself. Our bodies never carry one; a shadowed id is
    /// treated as absent rather than used as a key (dedupe, dead-letter rows).
    /// </summary>
    public static string? BrokerIdOrNull(string? id, string body) =>
        string.IsNullOrEmpty(id) || HasIdMember(body) ? null : id;

    /// <summary>
    /// The delivered message's broker id (<see cref="BrokerIdOrNull"/>): what a hand-off claim records. One that is missing
    /// or shadowed by the body is refused rather than trusted (dedupe on it would be unsafe), so the host retries and then
    /// poisons the message.
    /// </summary>
    public static string MessageId(string? id, string body, string function) =>
        BrokerIdOrNull(id, body)
            ?? throw new InvalidOperationException($"{function}: the delivery has no broker message id (missing, or shadowed by an 'Id' member of the body).");

    private static bool HasIdMember(string body)
    {
        try
        {
            using var document = JsonDocument.Parse(body);
            return document.RootElement.ValueKind == JsonValueKind.Object &&
                document.RootElement.EnumerateObject().Any(p => string.Equals(p.Name, "Id", StringComparison.OrdinalIgnoreCase));
        }
        catch (JsonException)
        {
            return false;
        }
    }
}
