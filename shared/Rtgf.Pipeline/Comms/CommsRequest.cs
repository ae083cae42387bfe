namespace Rtgf.Pipeline.Comms;

/// <summary>The channel a message goes out on: email through Resend, SMS through Cellcast.</summary>
public enum CommsChannel
{
    Email,
    Sms,
}

/// <summary>
/// One message to send: a template by name (<c>Comms/Templates/{Template}.*</c>), the recipient (an email address or an
/// E.164 phone number), the template's values, and the key that makes a second send of the same message a no-op. The key
/// is the caller's: it names the occasion (<c>waitlist-confirm:{lead}:{n}</c>, <c>receipt:{invoice id}</c>), so a retried
/// or duplicated delivery of the occasion sends once.
/// </summary>
public sealed record CommsRequest(
    CommsChannel Channel,
    string Template,
    string To,
    IReadOnlyDictionary<string, string> Values,
    string IdempotencyKey);
