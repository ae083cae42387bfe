using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rtgf.Ingestion.Records;

namespace Rtgf.Pipeline.Calendar;

/// <summary>One regulatory key date of the checked-in file: what it is, where it applies, its rule and its authority.</summary>
public sealed record KeyDateEntry(
    string Id,
    string Title,
    string Jurisdiction,
    IReadOnlyList<DateOnly> Dates,
    (int Month, int Day)? Annual,
    Uri Source,
    DateOnly EffectiveFrom,
    DateOnly? EffectiveTo,
    bool Verified,
    string? Notes);

/// <summary>
/// The regulatory key dates an RTO works to, as versioned data (<c>Calendar/key-dates.json</c>, an embedded resource):
/// no date lives in code. Every entry has an id (lower case, digits, <c>-</c>; unique), a title, a jurisdiction (a state
/// code or <c>national</c>), exactly one rule — <c>{"dates":["yyyy-MM-dd",…]}</c> (dates as announced) or
/// <c>{"annual":"MM-dd"}</c> (the same day every year; not 29 February) — an https <c>source</c>, an <c>effectiveFrom</c>
/// date, an optional <c>effectiveTo</c>, <c>verified</c> and optional <c>notes</c>. The file is checked whole when loaded;
/// an unknown member or a bad value is an <see cref="InvalidDataException"/> naming the entry and member.
/// </summary>
public sealed partial class KeyDates
{
    public const int Version = 1;
    public const string ResourceName = "Rtgf.Pipeline.Calendar.key-dates.json";

    private static readonly HashSet<string> EntryMembers = ["id", "title", "jurisdiction", "rule", "source", "effectiveFrom", "effectiveTo", "verified", "notes"];

    private KeyDates(IReadOnlyList<KeyDateEntry> entries) => Entries = entries;

    public IReadOnlyList<KeyDateEntry> Entries { get; }

    /// <summary>The checked-in file.</summary>
    public static KeyDates Load()
    {
        using var stream = typeof(KeyDates).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"The embedded resource {ResourceName} is missing.");
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return Parse(buffer.ToArray());
    }

    public static KeyDates Parse(ReadOnlySpan<byte> json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json.ToArray());
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"The key-date file is not JSON: {e.Message}", e);
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("version", out var version) || version.ValueKind != JsonValueKind.Number || version.GetInt32() != Version)
            {
                throw new InvalidDataException($"The key-date file must be an object with \"version\": {Version}.");
            }

            if (!root.TryGetProperty("entries", out var entries) || entries.ValueKind != JsonValueKind.Array)
            {
                throw new InvalidDataException("The key-date file has no \"entries\" array.");
            }

            var list = new List<KeyDateEntry>();
            var ids = new HashSet<string>(StringComparer.Ordinal);
            var index = 0;
            foreach (var element in entries.EnumerateArray())
            {
                var entry = ReadEntry(element, index++);
                if (!ids.Add(entry.Id))
                {
                    throw new InvalidDataException($"Key date '{entry.Id}' is listed twice.");
                }

                list.Add(entry);
            }

            return new KeyDates(list);
        }
    }

    /// <summary>
    /// The dated records for the window: every listed date of a <c>dates</c> rule, and an <c>annual</c> rule's day in each year
    /// from <paramref name="yearsBehind"/> years before <paramref name="today"/>'s year to <paramref name="yearsAhead"/> years
    /// after it, within the entry's effective range. The years behind keep last year's dates listed after 1 January (a
    /// deadline just passed is still asked about).
    /// </summary>
    public IReadOnlyList<CalendarDateRecord> Expand(DateOnly today, int yearsAhead, int yearsBehind)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(yearsAhead);
        ArgumentOutOfRangeException.ThrowIfNegative(yearsBehind);
        var records = new List<CalendarDateRecord>();
        foreach (var entry in Entries)
        {
            var dates = entry.Annual is { } annual
                ? Enumerable.Range(today.Year - yearsBehind, yearsBehind + yearsAhead + 1).Select(y => new DateOnly(y, annual.Month, annual.Day))
                : entry.Dates;
            records.AddRange(dates
                .Where(d => d >= entry.EffectiveFrom && (entry.EffectiveTo is null || d <= entry.EffectiveTo))
                .Select(d => new CalendarDateRecord(
                    CalendarDateRecord.KeyDateKind, d, entry.Jurisdiction, entry.Title, entry.Notes, entry.Source.AbsoluteUri, entry.EffectiveFrom, entry.Id, entry.EffectiveTo, entry.Verified)));
        }

        return [.. records.OrderBy(r => r.Key, StringComparer.Ordinal)];
    }

    private static KeyDateEntry ReadEntry(JsonElement element, int index)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidDataException($"Key-date entry {index} is not an object.");
        }

        var id = element.TryGetProperty("id", out var idElement) && idElement.ValueKind == JsonValueKind.String ? idElement.GetString()! : string.Empty;
        if (!IdPattern().IsMatch(id))
        {
            throw new InvalidDataException($"Key-date entry {index} has id '{id}': use lower-case letters, digits and '-'.");
        }

        InvalidDataException Error(string member, string problem) => new($"Key date '{id}', member '{member}': {problem}");
        foreach (var member in element.EnumerateObject())
        {
            if (!EntryMembers.Contains(member.Name))
            {
                throw Error(member.Name, $"unknown member (known: {string.Join(", ", EntryMembers)}).");
            }
        }

        string? Text(string name, bool required)
        {
            if (!element.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
            {
                return required ? throw Error(name, "missing.") : null;
            }

            return value.ValueKind == JsonValueKind.String && value.GetString()!.Trim() is { Length: > 0 } text ? text : throw Error(name, "must be a non-empty string.");
        }

        DateOnly Date(string name, string text) =>
            DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date) ? date : throw Error(name, $"'{text}' is not a yyyy-MM-dd date.");

        var title = Text("title", required: true)!;
        var jurisdiction = Text("jurisdiction", required: true)!;
        if (jurisdiction != CalendarDateRecord.National && !CalendarDateRecord.States.Contains(jurisdiction, StringComparer.Ordinal))
        {
            throw Error("jurisdiction", $"'{jurisdiction}' is not a state code ({string.Join(", ", CalendarDateRecord.States)}) or national.");
        }

        var sourceText = Text("source", required: true)!;
        if (!Uri.TryCreate(sourceText, UriKind.Absolute, out var source) || source.Scheme != Uri.UriSchemeHttps)
        {
            throw Error("source", $"'{sourceText}' is not an https URL.");
        }

        var effectiveFrom = Date("effectiveFrom", Text("effectiveFrom", required: true)!);
        var effectiveTo = Text("effectiveTo", required: false) is { } to ? Date("effectiveTo", to) : (DateOnly?)null;
        if (effectiveTo < effectiveFrom)
        {
            throw Error("effectiveTo", "is before effectiveFrom.");
        }

        if (!element.TryGetProperty("verified", out var verified) || verified.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            throw Error("verified", "must be true or false.");
        }

        var (dates, annual) = ReadRule(element, Error, Date);
        foreach (var date in dates.Where(d => d < effectiveFrom || d > effectiveTo))
        {
            throw Error("rule", $"{CalendarDateRecord.DateText(date)} is outside the entry's effective range.");
        }

        return new KeyDateEntry(id, title, jurisdiction, dates, annual, source, effectiveFrom, effectiveTo, verified.GetBoolean(), Text("notes", required: false));
    }

    private static (IReadOnlyList<DateOnly> Dates, (int Month, int Day)? Annual) ReadRule(
        JsonElement element, Func<string, string, InvalidDataException> error, Func<string, string, DateOnly> date)
    {
        if (!element.TryGetProperty("rule", out var rule) || rule.ValueKind != JsonValueKind.Object)
        {
            throw error("rule", "missing: use {\"dates\":[\"yyyy-MM-dd\"]} or {\"annual\":\"MM-dd\"}.");
        }

        var members = rule.EnumerateObject().ToList();
        if (members.Count != 1)
        {
            throw error("rule", "must have exactly one of dates or annual.");
        }

        var only = members[0];
        switch (only.Name)
        {
            case "dates" when only.Value.ValueKind == JsonValueKind.Array:
                var dates = only.Value.EnumerateArray()
                    .Select(d => d.ValueKind == JsonValueKind.String ? date("rule.dates", d.GetString()!) : throw error("rule.dates", "every date must be a string."))
                    .ToList();
                if (dates.Count == 0 || dates.Distinct().Count() != dates.Count)
                {
                    throw error("rule.dates", "must list at least one date, each once.");
                }

                return ([.. dates.Order()], null);
            case "annual" when only.Value.ValueKind == JsonValueKind.String:
                var text = only.Value.GetString()!;
                if (!DateOnly.TryParseExact("2000-" + text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var day) || text.Length != 5 || text == "02-29")
                {
                    throw error("rule.annual", $"'{text}' is not a MM-dd day that exists every year.");
                }

                return ([], (day.Month, day.Day));
            default:
                throw error("rule", $"'{only.Name}' is not a rule: use dates (an array) or annual (a string).");
        }
    }

    [GeneratedRegex("^[a-z0-9][a-z0-9-]*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
