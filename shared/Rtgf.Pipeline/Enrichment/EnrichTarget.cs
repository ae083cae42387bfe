using System.Text;
using System.Text.Json;

namespace Rtgf.Pipeline.Enrichment;

/// <summary>
/// What the enrichment reads from a TGA mirror <c>rto:</c> row: the code, the head-office address as one geocoder query
/// (the first current location, else the first contact's postal address: <c>line1, line2, suburb STATE postcode</c>), and
/// the first website (<c>websites</c>, present only when TGA's Urls were read), and whether its status is <c>Current</c>.
/// </summary>
public sealed record EnrichTarget(string Code, string? Address, Uri? Website, bool Current = true)
{
    public static EnrichTarget From(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        var code = root.GetProperty("code").GetString() ?? throw new InvalidDataException("An rto row without a code.");
        string? address = null;
        if (root.TryGetProperty("locations", out var locations) && locations.ValueKind == JsonValueKind.Array)
        {
            address = locations.EnumerateArray().Select(Query).FirstOrDefault(a => a is not null);
        }

        if (address is null && root.TryGetProperty("contacts", out var contacts) && contacts.ValueKind == JsonValueKind.Array)
        {
            address = contacts.EnumerateArray()
                .Select(c => c.TryGetProperty("postalAddress", out var postal) && postal.ValueKind == JsonValueKind.Object ? Query(postal) : null)
                .FirstOrDefault(a => a is not null);
        }

        Uri? website = null;
        if (root.TryGetProperty("websites", out var websites) && websites.ValueKind == JsonValueKind.Array)
        {
            website = websites.EnumerateArray()
                .Select(w => w.ValueKind == JsonValueKind.String ? Site(w.GetString()!) : null)
                .FirstOrDefault(u => u is not null);
        }

        // TGA's status: only a current registration is enriched (a mirror row without a status is taken as current).
        var current = !root.TryGetProperty("status", out var status) || status.ValueKind != JsonValueKind.String
            || string.Equals(status.GetString(), "Current", StringComparison.OrdinalIgnoreCase);
        return new EnrichTarget(code, address, website, current);
    }

    /// <summary>A TGA web address is often bare (<c>www.example.edu.au</c>): https is assumed; anything not http(s) is ignored.</summary>
    private static Uri? Site(string text)
    {
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        var candidate = trimmed.Contains("://", StringComparison.Ordinal) ? trimmed : "https://" + trimmed;
        return Uri.TryCreate(candidate, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : null;
    }

    private static string? Query(JsonElement address)
    {
        string? Part(string name) => address.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text ? text.Trim() : null;
        var locality = string.Join(' ', new[] { Part("suburb"), Part("stateCode"), Part("postcode") }.Where(p => p is not null));
        var parts = new[] { Part("line1"), Part("line2"), locality.Length > 0 ? locality : null }.Where(p => p is not null).ToList();
        // A street line alone or a locality alone still geocodes (to the street or the suburb); nothing at all is no address.
        return parts.Count == 0 ? null : new StringBuilder().AppendJoin(", ", parts).ToString();
    }
}
