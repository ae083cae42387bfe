using System.Text.Json;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Transparency.Entries;

/// <summary>
/// Checks entry bytes before they are logged: a JSON object of at most 65,535 bytes (the entry-bundle limit) whose string
/// <c>type</c> is one of <see cref="LogEntryTypes"/>. Canonical form is the producer's job; the log stores the bytes as given.
/// </summary>
public static class LogEntryValidator
{
    /// <summary>Returns the entry's type, or throws <see cref="InvalidLogEntryException"/> saying what is wrong.</summary>
    public static string Validate(ReadOnlyMemory<byte> entry)
    {
        if (entry.Length == 0)
        {
            throw new InvalidLogEntryException("A log entry is empty.");
        }

        if (entry.Length > EntryBundle.MaxEntrySize)
        {
            throw new InvalidLogEntryException($"A log entry is {entry.Length} bytes; the limit is {EntryBundle.MaxEntrySize}.");
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(entry, new JsonDocumentOptions { AllowDuplicateProperties = false });
        }
        catch (JsonException ex)
        {
            throw new InvalidLogEntryException("A log entry is not valid JSON: " + ex.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidLogEntryException("A log entry is a JSON object.");
            }

            if (!document.RootElement.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                throw new InvalidLogEntryException("A log entry has no string 'type' member.");
            }

            var value = type.GetString()!;
            return LogEntryTypes.IsKnown(value)
                ? value
                : throw new InvalidLogEntryException($"The log entry type '{value}' is unknown; expected one of {string.Join(", ", LogEntryTypes.All)}.");
        }
    }
}
