using System.Globalization;
using System.Text.Json.Nodes;

namespace Rtgf.UpstreamSimulator.Comms;

/// <summary>An email the Resend simulator accepted (what a recipient would get), with the Idempotency-Key it came with.</summary>
public sealed record SentEmail(string Id, string From, IReadOnlyList<string> To, string Subject, string? Text, string? Html, string? IdempotencyKey)
{
    /// <summary>The request's <c>headers</c> (custom headers such as List-Unsubscribe), by name; empty when it had none.</summary>
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>An SMS the Cellcast simulator accepted.</summary>
public sealed record SentSms(string MessageId, string? From, string To, string Text);

/// <summary>
/// Everything the comms simulators sent, in order, and Resend's idempotency keys (the first response per key, kept for the
/// simulator's life: Resend keeps them 24 hours). One lock: a key's check and its send are one step, as Resend's are.
/// </summary>
internal sealed class CommsRecorder
{
    private readonly List<SentEmail> _emails = [];
    private readonly List<SentSms> _sms = [];
    private readonly Dictionary<string, (string Fingerprint, string Id)> _keys = new(StringComparer.Ordinal);
    private long _next;

    public object Gate { get; } = new();

    /// <summary>Ids look like Resend's and Cellcast's (UUID-shaped), counted, so a run is reproducible.</summary>
    public string NextId(string kind)
    {
        var n = ++_next;
        return string.Create(CultureInfo.InvariantCulture, $"{(kind == "sms" ? "5a5a5a5a" : "e0e0e0e0")}-0000-4000-8000-{n:x12}");
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public (string Fingerprint, string Id)? Known(string key) => _keys.TryGetValue(key, out var known) ? known : null;

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public void Add(SentEmail email, string? fingerprint)
    {
        _emails.Add(email);
        if (email.IdempotencyKey is { } key && fingerprint is not null)
        {
            _keys[key] = (fingerprint, email.Id);
        }
    }

    /// <summary>Caller holds <see cref="Gate"/>.</summary>
    public void Add(SentSms sms) => _sms.Add(sms);

    public JsonObject Snapshot()
    {
        lock (Gate)
        {
            return new JsonObject
            {
                ["emails"] = new JsonArray([.. _emails.Select(e => (JsonNode)new JsonObject
                {
                    ["id"] = e.Id,
                    ["from"] = e.From,
                    ["to"] = new JsonArray([.. e.To.Select(t => (JsonNode)JsonValue.Create(t)!)]),
                    ["subject"] = e.Subject,
                    ["text"] = e.Text,
                    ["html"] = e.Html,
                    ["idempotencyKey"] = e.IdempotencyKey,
                    ["headers"] = new JsonObject([.. e.Headers.Select(h => KeyValuePair.Create(h.Key, (JsonNode?)JsonValue.Create(h.Value)))]),
                })]),
                ["sms"] = new JsonArray([.. _sms.Select(s => (JsonNode)new JsonObject
                {
                    ["messageId"] = s.MessageId,
                    ["from"] = s.From,
                    ["to"] = s.To,
                    ["text"] = s.Text,
                })]),
            };
        }
    }

    public void Clear()
    {
        lock (Gate)
        {
            _emails.Clear();
            _sms.Clear();
            _keys.Clear();
        }
    }
}
