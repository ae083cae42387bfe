using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using Rtgf.Ingestion.Records;

namespace Rtgf.Register;

/// <summary>
/// The records of a build's snapshots in the register's own shapes, before token links are added. A record's kind is told
/// by its members (as the compiler tells it, docs/spec/compiler.md); members the register does not show are ignored, and
/// members another issue adds (an RTO's contacts and locations) are read when present.
/// </summary>
internal sealed class SnapshotRecords
{
    public List<Rto> Rtos { get; } = [];

    public List<(string Organisation, ScopeRow Row)> Scope { get; } = [];

    public List<Component> Components { get; } = [];

    public List<CricosProvider> CricosProviders { get; } = [];

    public List<CricosCourse> CricosCourses { get; } = [];

    public List<(string Provider, CricosLocation Location)> CricosLocations { get; } = [];

    public List<TeqsaProvider> TeqsaProviders { get; } = [];

    /// <summary>Occupation Shortage List entries (<c>occupation-shortage</c> records of the <c>osl</c> snapshot).</summary>
    public List<ShortageEntry> Shortages { get; } = [];

    /// <summary>Internet Vacancy Index series (<c>vacancy-series</c> records of the <c>ivi</c> snapshot).</summary>
    public List<VacancySeries> Vacancies { get; } = [];

    /// <summary>ABS series (<c>labour-series</c> records of the <c>abs</c> snapshot).</summary>
    public List<LabourSeries> LabourSeries { get; } = [];

    /// <summary>
    /// The ANZSCO classifications (TGA scheme <c>01</c>) of each component that has some, by component code, with their end
    /// dates (<c>yyyy-MM-dd</c>, null while open): see <see cref="ComponentAnzscoOn"/>.
    /// </summary>
    public Dictionary<string, (string Value, string? End)[]> ComponentAnzsco { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// The ANZSCO values of each component current on <paramref name="day"/> (<c>yyyy-MM-dd</c>): not ended before it, so an
    /// end-dated classification replaced by another links only the new occupation.
    /// </summary>
    public Dictionary<string, string[]> ComponentAnzscoOn(string day) => ComponentAnzsco
        .Select(pair => (pair.Key, Values: pair.Value
            .Where(c => c.End is null || string.CompareOrdinal(c.End, day) >= 0)
            .Select(c => c.Value)
            .Distinct(StringComparer.Ordinal)
            .Order(StringComparer.Ordinal)
            .ToArray()))
        .Where(p => p.Values.Length > 0)
        .ToDictionary(p => p.Key, p => p.Values, StringComparer.Ordinal);

    public int Sanctions { get; private set; }

    public int Tombstones { get; private set; }

    // The values a national snapshot repeats hundreds of thousands of times (component and organisation codes, dates,
    // types, extents): one string each, so a generation holds each once and the build allocates them once.
    private readonly Dictionary<string, string> _strings = new(StringComparer.Ordinal);
    private readonly Dictionary<string, string[]> _singletons = new(StringComparer.Ordinal);

    /// <summary>Reads one snapshot's JSON lines; a line of no known kind is a <see cref="FormatException"/> naming it.</summary>
    public void Read(ReadOnlyMemory<byte> records, SnapshotLink snapshot) =>
        SnapshotLines.Read(records, r => ReadRecord(r, snapshot), line => $"Snapshot {snapshot.Source}@{snapshot.Digest} line {line} is not a record the register reads");

    private void ReadRecord(JsonElement r, SnapshotLink snapshot)
    {
        if (r.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidOperationException("a record must be a JSON object.");
        }

        if (Has(r, "componentCode") && Has(r, "organisationCode"))
        {
            var row = new ScopeRow(
                Req(r, "componentCode"), Strings(r, "componentTypes"), Opt(r, "extent"), Bool(r, "isImplicit"), Bool(r, "isRefused"), Opt(r, "decision"),
                Opt(r, "startDate"), Opt(r, "endDate"), Current: false, Token: null, Proof: null, snapshot);
            Scope.Add((Req(r, "organisationCode"), row));
        }
        else if (Has(r, "releases") && Has(r, "code"))
        {
            Components.Add(new Component(
                Req(r, "code"), Req(r, "title"), Strings(r, "componentTypes"), Req(r, "status"), Opt(r, "currency"), Opt(r, "parentCode"),
                [.. Objects(r, "releases").Select(e => new Release(Req(e, "releaseNumber"), Opt(e, "releaseDate"), Opt(e, "currency")))],
                [.. Objects(r, "usageRecommendations").Select(e => new UsageRecommendation(Req(e, "state"), Opt(e, "startDate"), Opt(e, "endDate")))],
                Strings(r, "supersedes"), Strings(r, "supersededBy"), null, null, snapshot));
            (string, string?)[] anzsco = [.. Objects(r, "classifications")
                .Where(c => Opt(c, "scheme") == ClassificationRecord.AnzscoScheme && Opt(c, "value") is not null)
                .Select(c => (Req(c, "value"), Opt(c, "endDate")))];
            if (anzsco.Length > 0)
            {
                ComponentAnzsco[Req(r, "code")] = anzsco;
            }
        }
        else if (Has(r, "classification") && Has(r, "listYear") && Has(r, "national"))
        {
            var states = r.GetProperty("states");
            var ratings = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var state in OccupationShortageRecord.StateCodes)
            {
                if (Opt(states, state) is { } rating)
                {
                    ratings[state] = rating;
                }
            }

            Shortages.Add(new ShortageEntry(
                Req(r, "classification"), Req(r, "code"), Req(r, "title"), r.GetProperty("listYear").GetInt32(), Req(r, "national"), ratings,
                r.TryGetProperty("skillLevel", out var level) && level.ValueKind == JsonValueKind.Number ? level.GetInt32() : null, snapshot));
        }
        else if (Has(r, "series") && Has(r, "points"))
        {
            Vacancies.Add(new VacancySeries(
                Req(r, "series"), Req(r, "state"), Req(r, "code"), Req(r, "title"), r.GetProperty("level").GetInt32(),
                [.. Objects(r, "points").Select(p => new VacancyMonth(Req(p, "month"), p.GetProperty("value").GetDecimal())).OrderBy(p => p.Month, StringComparer.Ordinal)],
                null, null, snapshot));
        }
        else if (Has(r, "dataflow") && Has(r, "seriesKey"))
        {
            var dataflow = Req(r, "dataflow");
            LabourSeries.Add(new LabourSeries(
                dataflow, LabourMarket.DataflowCode(dataflow), Req(r, "seriesKey"), Req(r, "measure"), Req(r, "state"), Req(r, "unit"),
                [.. Objects(r, "observations")
                    .Select(o => new LabourSeriesObservation(Req(o, "period"), o.GetProperty("value").GetDecimal(), Opt(o, "status")))
                    .OrderBy(o => o.Period, StringComparer.Ordinal)],
                null, null, snapshot));
        }
        else if (Has(r, "code") && Has(r, "legalName"))
        {
            var locations = Objects(r, "locations").Select(ReadAddress).ToList();
            var contacts = Objects(r, "contacts").Select(c => new Contact(
                Opt(c, "typeCode"), Opt(c, "roleCode"), Opt(c, "firstName"), Opt(c, "lastName"), Opt(c, "jobTitle"), Opt(c, "organisationName"),
                Opt(c, "email"), Opt(c, "phone"), c.TryGetProperty("postalAddress", out var p) && p.ValueKind == JsonValueKind.Object ? ReadAddress(p) : null)).ToList();
            // Where the RTO operates: its locations. A contact's postal address is where mail goes (a head office, a PO box).
            var states = locations.Select(a => a.StateCode)
                .OfType<string>().Where(s => s.Length > 0).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal).ToList();
            Rtos.Add(new Rto(
                Req(r, "code"), Opt(r, "legalName"), Opt(r, "abn"), Strings(r, "tradingNames"), Opt(r, "status"), Opt(r, "registrationManager"),
                Opt(r, "registrationStart"), Opt(r, "registrationEnd"), states, contacts, locations, 0, 0, null, null, null, snapshot));
        }
        else if (Has(r, "courseCode") && Has(r, "providerCode"))
        {
            CricosCourses.Add(new CricosCourse(
                Req(r, "providerCode"), Req(r, "courseCode"), Req(r, "courseName"), Opt(r, "vetNationalCode"), Opt(r, "courseLevel"),
                r.TryGetProperty("durationWeeks", out var w) && w.ValueKind == JsonValueKind.Number ? w.GetInt64() : null,
                Opt(r, "tuitionFee"), Opt(r, "nonTuitionFee"), Opt(r, "estimatedTotalCost"), Bool(r, "expired"), Strings(r, "locations"), null, null, snapshot));
        }
        else if (Has(r, "institutionName") && Has(r, "providerCode"))
        {
            CricosProviders.Add(new CricosProvider(
                Req(r, "providerCode"), Req(r, "institutionName"), Opt(r, "tradingName"), Opt(r, "institutionType"),
                r.TryGetProperty("capacity", out var c) && c.ValueKind == JsonValueKind.Number ? c.GetInt32() : null,
                Opt(r, "website"), Opt(r, "postalCity"), Opt(r, "postalState"), Opt(r, "postalPostcode"), 0, null, null, snapshot));
        }
        else if (Has(r, "locationName") && Has(r, "providerCode"))
        {
            CricosLocations.Add((Req(r, "providerCode"), new CricosLocation(
                Req(r, "locationName"), Opt(r, "locationType"), Opt(r, "city"), Opt(r, "state"), Opt(r, "postcode"), snapshot)));
        }
        else if (Has(r, "providerId"))
        {
            TeqsaProviders.Add(new TeqsaProvider(
                Req(r, "providerId"), Req(r, "name"), Opt(r, "abn"), Opt(r, "category"), Opt(r, "selfAccreditingAuthority"), Opt(r, "status"),
                Opt(r, "registrationExpiry"), Opt(r, "website"),
                [.. Objects(r, "courses").Select(e => new TeqsaCourse(Req(e, "title"), Opt(e, "status"), Opt(e, "renewalDate")))], null, null, snapshot));
        }
        else if (Has(r, "aliases"))
        {
            Sanctions++;
        }
        else if (Has(r, "deletedAt"))
        {
            Tombstones++;
        }
        else
        {
            throw new InvalidOperationException("the record's members name no kind the register knows.");
        }
    }

    private Address ReadAddress(JsonElement a) =>
        new(Opt(a, "line1"), Opt(a, "line2"), Opt(a, "suburb"), Opt(a, "stateCode"), Opt(a, "postcode"), Opt(a, "countryCode"));

    private static bool Has(JsonElement e, string name) => e.TryGetProperty(name, out _);

    private string Req(JsonElement e, string name) =>
        e.GetProperty(name) is { ValueKind: JsonValueKind.String } v ? Pooled(v) : throw new InvalidOperationException($"member '{name}' must be a string.");

    private string? Opt(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? Pooled(v) : null;

    /// <summary>
    /// A string value, the same instance for the same text. Short unescaped values are looked up by their characters
    /// without allocating a string; long or escaped ones (names, titles: rarely repeated) are read as they are.
    /// </summary>
    private string Pooled(JsonElement value)
    {
        const int MaxPooledBytes = 64;
        var raw = JsonMarshal.GetRawUtf8Value(value); // with its quotes
        if (raw.Length - 2 > MaxPooledBytes || raw.Contains((byte)'\\'))
        {
            return value.GetString()!;
        }

        Span<char> chars = stackalloc char[MaxPooledBytes];
        var length = Encoding.UTF8.GetChars(raw[1..^1], chars);
        var lookup = _strings.GetAlternateLookup<ReadOnlySpan<char>>();
        if (!lookup.TryGetValue(chars[..length], out var pooled))
        {
            pooled = new string(chars[..length]);
            _strings.Add(pooled, pooled);
        }

        return pooled;
    }

    private static bool Bool(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.True;

    private string[] Strings(JsonElement e, string name)
    {
        if (!e.TryGetProperty(name, out var v) || v.ValueKind != JsonValueKind.Array)
        {
            return [];
        }

        var values = new List<string>(v.GetArrayLength());
        foreach (var x in v.EnumerateArray())
        {
            if (x.ValueKind == JsonValueKind.String)
            {
                values.Add(Pooled(x));
            }
        }

        if (values.Count != 1)
        {
            return [.. values];
        }

        // Most lists hold one value (a scope row's component type): one shared array per value. Records expose them read-only.
        if (!_singletons.TryGetValue(values[0], out var single))
        {
            _singletons.Add(values[0], single = [values[0]]);
        }

        return single;
    }

    private static IEnumerable<JsonElement> Objects(JsonElement e, string name) =>
        e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Array
            ? v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.Object)
            : [];
}
