using System.Text.Json;
using System.Text.Json.Serialization;
using Rtgf.Pipeline.Comms;

namespace Rtgf.Functions.Comms;

/// <summary>
/// A message on <c>rtgf-comms</c> as the <c>comms</c> function reads it: the request and how many times it was re-enqueued
/// after a <see cref="CommsFailure.Retry"/>. Callers enqueue a plain <see cref="CommsRequest"/> (attempt 0); only the
/// function writes the envelope, so the seam stays as it is.
/// </summary>
public sealed record CommsEnvelope(CommsRequest Request, int Attempt)
{
    /// <summary>
    /// How many times a Retry failure is re-enqueued before the message is poisoned: delays of 1, 2, 4, … minutes up to
    /// an hour add up to about 5 hours, well inside Resend's 24-hour idempotency-key window (a later send is still one email).
    /// </summary>
    public const int MaxRetries = 10;

    public static readonly TimeSpan FirstDelay = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan MaxDelay = TimeSpan.FromHours(1);

    /// <summary>The delay before try <paramref name="retry"/> (1-based): doubling from <see cref="FirstDelay"/>, capped at <see cref="MaxDelay"/>.</summary>
    public static TimeSpan DelayBefore(int retry) =>
        retry <= 1 ? FirstDelay : TimeSpan.FromTicks(Math.Min(MaxDelay.Ticks, FirstDelay.Ticks << Math.Min(retry - 1, 20)));

    /// <summary>A body of the queue: an envelope (it has a <c>request</c> member) or a caller's plain request.</summary>
    public static CommsEnvelope Read(string body)
    {
        using var document = JsonDocument.Parse(body);
        return document.RootElement.ValueKind == JsonValueKind.Object && document.RootElement.TryGetProperty("request", out _)
            ? JsonSerializer.Deserialize(body, CommsEnvelopeJson.Default.CommsEnvelope) ?? throw new JsonException("The comms envelope is null.")
            : new CommsEnvelope(JsonSerializer.Deserialize(body, CommsJson.Default.CommsRequest) ?? throw new JsonException("The comms request is null."), 0);
    }

    public string Write() => JsonSerializer.Serialize(this, CommsEnvelopeJson.Default.CommsEnvelope);
}

/// <summary>The envelope as JSON (camelCase, the channel as its name, like <see cref="CommsJson"/>).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, UseStringEnumConverter = true)]
[JsonSerializable(typeof(CommsEnvelope))]
internal sealed partial class CommsEnvelopeJson : JsonSerializerContext;
