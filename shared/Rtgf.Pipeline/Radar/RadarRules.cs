using System.Globalization;
using System.Text.Json;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Radar;

/// <summary>What every item of one source's step of a plan shares: the plan's sequence and time, the source and the digest it moved to.</summary>
public sealed record RadarStep(long Sequence, DateTimeOffset ObservedAt, string Source, string ToDigest);

/// <summary>
/// The radar's rules (docs/spec/radar.md): pure functions from two snapshots of a source to the items the change raises,
/// sorted by partition and row key, each once. The same two snapshots always give the same items.
/// </summary>
public static class RadarRules
{
    /// <summary>UNSPSC segment 86, Education and Training Services: the approaches to market every RTO sees.</summary>
    public const string EducationSegment = "86";

    public static IReadOnlyList<RadarItem> Derive(RadarStep step, ReadOnlyMemory<byte> before, ReadOnlyMemory<byte> after)
    {
        ArgumentNullException.ThrowIfNull(step);
        var changes = SnapshotDiff.Changes(before, after, RadarKeys.For(step.Source)).ToList();
        var items = new Items(step);
        switch (step.Source)
        {
            case IngestSources.Tga: Tga(items, changes, after); break;
            case IngestSources.Tender: Tender(items, changes); break;
            case IngestSources.Magda: Magda(items, changes); break;
            default: throw new ArgumentOutOfRangeException(nameof(step), step.Source, "The radar reads tga, tender and magda.");
        }

        return items.Sorted();
    }

    private static void Tga(Items items, List<RecordChange> changes, ReadOnlyMemory<byte> after)
    {
        // An RTO that appears or disappears says so once (registration-changed), not once per row of its scope.
        var arrived = new HashSet<string>(StringComparer.Ordinal);
        var superseded = new Dictionary<string, (string Title, string Status, string[] By)>(StringComparer.Ordinal);
        foreach (var change in changes.Where(c => c.Key.StartsWith("rto:", StringComparison.Ordinal)))
        {
            var code = change.Key["rto:".Length..];
            var was = Registration(change.Before);
            var now = Registration(change.After);
            if (was is null != now is null)
            {
                arrived.Add(code);
            }

            if (was != now)
            {
                var text = $"{Describe(was)} → {Describe(now)}";
                items.Add(RadarKinds.RegistrationChanged, code, code, $"{Describe(was)}>{Describe(now)}",
                    now is null ? $"RTO {code} was removed from the register" : was is null ? $"RTO {code} is on the register ({now.Value.Status ?? "no status"})"
                    : was.Value.Status != now.Value.Status ? $"Registration status changed: {was.Value.Status ?? "none"} → {now.Value.Status ?? "none"}" : "Registration period changed",
                    $"Registration (status, start, end): {text}.");
            }
        }

        foreach (var change in changes)
        {
            if (change.Key.StartsWith("scope:", StringComparison.Ordinal))
            {
                var (rto, component) = ScopeKey(change.Key);
                var was = Live(change.Before);
                var now = Live(change.After);
                if (was != now && !arrived.Contains(rto))
                {
                    var verb = now ? "added" : "removed";
                    items.Add(RadarKinds.ScopeChanged, rto, component, verb,
                        $"{component} {verb} {(now ? "to" : "from")} scope", $"{component} was {verb} {(now ? "to" : "from")} the scope of registration of RTO {rto}.");
                }
            }
            else if (change.Key.StartsWith("component:", StringComparison.Ordinal) && change.Before is { } before && change.After is { } afterLine)
            {
                using var old = JsonDocument.Parse(before);
                using var current = JsonDocument.Parse(afterLine);
                if (!IsComponent(old.RootElement) || !IsComponent(current.RootElement))
                {
                    continue; // a deletion (tombstone) is not a supersession
                }

                var status = Text(current.RootElement, "status") ?? "";
                var by = Strings(current.RootElement, "supersededBy");
                var wasBy = Strings(old.RootElement, "supersededBy");
                var became = IsSuperseded(status) && !IsSuperseded(Text(old.RootElement, "status"));
                if (became || by.Except(wasBy, StringComparer.Ordinal).Any())
                {
                    superseded[change.Key["component:".Length..]] = (Text(current.RootElement, "title") ?? "", status, by);
                }
            }
        }

        if (superseded.Count == 0)
        {
            return;
        }

        // One item per RTO with the component on its scope in the new snapshot: one more walk over its keys.
        foreach (var key in SnapshotDiff.Keys(after, RadarKeys.Tga))
        {
            if (!key.StartsWith("scope:", StringComparison.Ordinal))
            {
                continue;
            }

            var (rto, component) = ScopeKey(key);
            if (superseded.TryGetValue(component, out var s))
            {
                var successors = s.By.Length == 0 ? "" : " by " + string.Join(", ", s.By);
                items.Add(RadarKinds.ComponentSuperseded, rto, component, s.By.Length == 0 ? "superseded" : string.Join(",", s.By),
                    $"{component} is superseded{successors}",
                    $"{component} {s.Title} on the scope of RTO {rto} is now {s.Status}{successors}.");
            }
        }
    }

    private static void Tender(Items items, List<RecordChange> changes)
    {
        foreach (var change in changes.Where(c => c.After is not null))
        {
            using var current = JsonDocument.Parse(change.After!.Value);
            var now = current.RootElement;
            using var old = change.Before is { } b ? JsonDocument.Parse(b) : null;
            var was = old?.RootElement;
            if (change.Key.StartsWith("contract:", StringComparison.Ordinal))
            {
                var id = Text(now, "contractId")!;
                var release = Text(now, "releaseId") ?? "";
                // A record without an optional member reads as one with it empty: a missing member must not stop the radar.
                var amended = was is { } w && (Text(w, "releaseId") != release || Raw(w, "amendments") != Raw(now, "amendments"));
                var known = was is { } p ? Strings(p, "rtoCodes") : [];
                foreach (var rto in Strings(now, "rtoCodes"))
                {
                    if (was is null || amended || !known.Contains(rto, StringComparer.Ordinal))
                    {
                        var buyer = now.TryGetProperty("buyer", out var by) && by.ValueKind == JsonValueKind.Object ? Text(by, "name") : null;
                        items.Add(RadarKinds.ContractAwarded, rto, id, release,
                            $"Contract {id}{(amended ? " amended" : " awarded")}: {Text(now, "title")}",
                            $"{buyer ?? "A buyer"} — {Text(now, "value")} {Text(now, "currency")}, signed {Day(now, "dateSigned")}, {Day(now, "startDate")} to {Day(now, "endDate")} (release {release}).");
                    }
                }
            }
            else if (change.Key.StartsWith("tender:", StringComparison.Ordinal) && was is null
                && Strings(now, "categories").Any(c => c.StartsWith(EducationSegment, StringComparison.Ordinal)))
            {
                var id = Text(now, "atmId")!;
                items.Add(RadarKinds.TenderPublished, RadarItem.Broadcast, id, id,
                    $"New approach to market {id}: {Text(now, "title")}",
                    $"{Text(now, "agency")}, published {Day(now, "publishedDate")}, closes {Day(now, "closeDate")}: {Text(now, "url")}");
            }
        }
    }

    private static void Magda(Items items, List<RecordChange> changes)
    {
        // A dataset that leaves the snapshot (withdrawn upstream: CKAN Not Found; no longer found by its search; or no
        // longer watched) is news to every RTO that relied on it.
        foreach (var change in changes.Where(c => c.After is null && c.Before is not null))
        {
            using var old = JsonDocument.Parse(change.Before!.Value);
            var id = Text(old.RootElement, "id") ?? change.Key["dataset:".Length..];
            var title = Text(old.RootElement, "title") ?? id;
            items.Add(RadarKinds.DatasetWithdrawn, RadarItem.Broadcast, id, "withdrawn",
                $"Dataset withdrawn: {title}",
                $"Dataset {id} ({title}) is no longer in the monitored catalogue: withdrawn from data.gov.au, no longer found by its watch-list search, or no longer watched.");
        }

        foreach (var change in changes.Where(c => c.After is not null))
        {
            using var current = JsonDocument.Parse(change.After!.Value);
            using var old = change.Before is { } b ? JsonDocument.Parse(b) : null;
            var now = Fingerprints(current.RootElement);
            var was = old is null ? new SortedDictionary<string, (string Name, string Fingerprint)>(StringComparer.Ordinal) : Fingerprints(old.RootElement);
            var added = now.Keys.Where(k => !was.ContainsKey(k)).ToList();
            var changed = now.Keys.Where(k => was.TryGetValue(k, out var f) && f.Fingerprint != now[k].Fingerprint).ToList();
            var removed = was.Keys.Where(k => !now.ContainsKey(k)).ToList();
            if (added.Count + changed.Count + removed.Count == 0)
            {
                continue; // metadata only: no resource changed
            }

            var id = Text(current.RootElement, "id")!;
            string Names(List<string> ids, SortedDictionary<string, (string Name, string Fingerprint)> from) => string.Join(", ", ids.Select(i => from[i].Name));
            items.Add(RadarKinds.DatasetUpdated, RadarItem.Broadcast, id, string.Join(";", now.Select(p => p.Key + "=" + p.Value.Fingerprint)),
                $"Dataset updated: {Text(current.RootElement, "title")}",
                string.Create(CultureInfo.InvariantCulture, $"{added.Count} new, {changed.Count} changed, {removed.Count} removed resource(s)")
                + (added.Count > 0 ? "; new: " + Names(added, now) : "") + (changed.Count > 0 ? "; changed: " + Names(changed, now) : "")
                + (removed.Count > 0 ? "; removed: " + Names(removed, was) : "") + ".");
        }
    }

    private static SortedDictionary<string, (string Name, string Fingerprint)> Fingerprints(JsonElement dataset)
    {
        var result = new SortedDictionary<string, (string, string)>(StringComparer.Ordinal);
        if (dataset.TryGetProperty("resources", out var resources) && resources.ValueKind == JsonValueKind.Array)
        {
            foreach (var r in resources.EnumerateArray())
            {
                if (Text(r, "id") is { } id)
                {
                    result[id] = (Text(r, "name") ?? id, Text(r, "fingerprint") ?? "");
                }
            }
        }

        return result;
    }

    private readonly record struct Reg(string? Status, string? Start, string? End);

    /// <summary>An <c>rto:</c> record's status and period; null when absent or deleted (a tombstone).</summary>
    private static Reg? Registration(ReadOnlyMemory<byte>? line)
    {
        if (line is not { } bytes)
        {
            return null;
        }

        using var document = JsonDocument.Parse(bytes);
        var r = document.RootElement;
        return r.TryGetProperty("operation", out _) ? null : new Reg(Text(r, "status"), Text(r, "registrationStart"), Text(r, "registrationEnd"));
    }

    private static string Describe(Reg? r) => r is { } v ? $"{v.Status ?? "none"}, {v.Start ?? "?"}, {v.End ?? "?"}" : "not registered";

    /// <summary>A scope row is on scope when present and not a tombstone.</summary>
    private static bool Live(ReadOnlyMemory<byte>? line) => line is { } bytes && bytes.Span.IndexOf("\"operation\":"u8) < 0;

    private static bool IsComponent(JsonElement e) => e.TryGetProperty("releases", out _);

    private static bool IsSuperseded(string? status) => string.Equals(status, "Superseded", StringComparison.OrdinalIgnoreCase);

    private static (string Rto, string Component) ScopeKey(string key)
    {
        var rest = key.AsSpan("scope:".Length);
        var colon = rest.IndexOf(':');
        return (rest[..colon].ToString(), rest[(colon + 1)..].ToString());
    }

    private static string? Text(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) ? v.ValueKind switch
        {
            JsonValueKind.String => v.GetString(),
            JsonValueKind.Number => v.GetRawText(),
            _ => null,
        } : null;

    /// <summary>A member's raw JSON, or null when absent (an absent optional member compares as unchanged with itself).</summary>
    private static string? Raw(JsonElement e, string name) => e.TryGetProperty(name, out var v) ? v.GetRawText() : null;

    /// <summary>
    /// An instant member for an item's text: tender-sync writes <c>yyyy-MM-ddTHH:mm:ssZ</c>, and a date-only upstream value
    /// as midnight UTC, shown as its day; an instant with a time (a tender's closing time) stays whole; absent: "?".
    /// </summary>
    private static string Day(JsonElement e, string name) =>
        Text(e, name) is { } text ? (text.Length == 20 && text.EndsWith("T00:00:00Z", StringComparison.Ordinal) ? text[..10] : text) : "?";

    private static string[] Strings(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? [.. v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]
            : [];

    /// <summary>The items of one step, each once, in partition then row-key order.</summary>
    private sealed class Items(RadarStep step)
    {
        private readonly Dictionary<(string, string), RadarItem> _items = [];

        public void Add(string kind, string rto, string subject, string change, string title, string detail)
        {
            var id = RadarItem.IdOf(kind, rto, subject, change, step.Sequence);
            _items.TryAdd((rto, id), new RadarItem(id, kind, rto, subject, Cap(title, 300), Cap(detail, 2000), step.Source, step.ToDigest, step.Sequence, step.ObservedAt));
        }

        // Upstream text is unbounded (a dataset's resource names); a row column is not.
        private static string Cap(string text, int length) => text.Length <= length ? text : text[..(length - 1)] + "…";

        public IReadOnlyList<RadarItem> Sorted() =>
            [.. _items.Values.OrderBy(i => i.Rto, StringComparer.Ordinal).ThenBy(i => i.Id, StringComparer.Ordinal)];
    }
}
