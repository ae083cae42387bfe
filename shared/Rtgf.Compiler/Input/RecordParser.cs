using System.Text.Json;
using Rtgf.Ingestion.Records;
using static Rtgf.Compiler.Input.JsonFields;

namespace Rtgf.Compiler.Input;

/// <summary>
/// Reads record lines with <see cref="Utf8JsonReader"/> straight into the compiler's shapes (no DOM per record: the national
/// TGA snapshot holds over half a million lines). Each method starts with the reader on the record's first member name.
/// Unknown members are errors: a record shape change must come with a new compilerInputVersion, unless it only adds optional
/// members the compiler checks (an <c>rto</c> record's <c>contacts</c> and <c>locations</c>, a <c>component</c>'s
/// <c>classifications</c>: absent from older snapshots of the same version and read by the catalogue API, not by any token family).
/// </summary>
internal static class RecordParser
{
    public static RtoEntry Rto(ref Utf8JsonReader reader)
    {
        string? code = null, legalName = null, abn = null, status = null, manager = null, start = null, end = null;
        string[] tradingNames = [];
        do
        {
            if (reader.ValueTextEquals("abn"u8)) { abn = OptionalString(ref reader, "abn"); }
            else if (reader.ValueTextEquals("code"u8)) { code = String(ref reader, "code"); }
            else if (reader.ValueTextEquals("contacts"u8)) { Contacts(ref reader); }
            else if (reader.ValueTextEquals("legalName"u8)) { legalName = OptionalString(ref reader, "legalName"); }
            else if (reader.ValueTextEquals("locations"u8)) { Locations(ref reader); }
            else if (reader.ValueTextEquals("registrationEnd"u8)) { end = OptionalDate(ref reader, "registrationEnd"); }
            else if (reader.ValueTextEquals("registrationManager"u8)) { manager = OptionalString(ref reader, "registrationManager"); }
            else if (reader.ValueTextEquals("registrationStart"u8)) { start = OptionalDate(ref reader, "registrationStart"); }
            else if (reader.ValueTextEquals("status"u8)) { status = OptionalString(ref reader, "status"); }
            else if (reader.ValueTextEquals("tradingNames"u8)) { tradingNames = Strings(ref reader, "tradingNames"); }
            else if (reader.ValueTextEquals("updatedDate"u8)) { OptionalInstant(ref reader, "updatedDate"); }
            else { throw Unknown(ref reader, "rto"); }
        }
        while (NextMember(ref reader));

        return new RtoEntry(code ?? throw Missing("rto", "code"), legalName, abn, tradingNames, status, manager, start, end);
    }

    public static ScopeEntry Scope(ref Utf8JsonReader reader)
    {
        string? organisation = null, component = null, extent = null, start = null, end = null;
        bool isImplicit = false, isRefused = false;
        do
        {
            if (reader.ValueTextEquals("componentCode"u8)) { component = String(ref reader, "componentCode"); }
            else if (reader.ValueTextEquals("componentTypes"u8)) { _ = Strings(ref reader, "componentTypes"); }
            else if (reader.ValueTextEquals("decision"u8)) { _ = OptionalString(ref reader, "decision"); }
            else if (reader.ValueTextEquals("endDate"u8)) { end = OptionalDate(ref reader, "endDate"); }
            else if (reader.ValueTextEquals("extent"u8)) { extent = OptionalString(ref reader, "extent"); }
            else if (reader.ValueTextEquals("isImplicit"u8)) { isImplicit = Boolean(ref reader, "isImplicit"); }
            else if (reader.ValueTextEquals("isRefused"u8)) { isRefused = Boolean(ref reader, "isRefused"); }
            else if (reader.ValueTextEquals("organisationCode"u8)) { organisation = String(ref reader, "organisationCode"); }
            else if (reader.ValueTextEquals("startDate"u8)) { start = OptionalDate(ref reader, "startDate"); }
            else { throw Unknown(ref reader, "scope"); }
        }
        while (NextMember(ref reader));

        return new ScopeEntry(
            organisation ?? throw Missing("scope", "organisationCode"), component ?? throw Missing("scope", "componentCode"), extent, isImplicit, isRefused, start, end);
    }

    public static ComponentEntry Component(ref Utf8JsonReader reader)
    {
        string? code = null, title = null, status = null, currency = null, parent = null;
        string[] types = [], supersedes = [], supersededBy = [];
        List<ReleaseEntry> releases = [];
        List<UsageEntry> usage = [];
        do
        {
            if (reader.ValueTextEquals("code"u8)) { code = String(ref reader, "code"); }
            else if (reader.ValueTextEquals("classifications"u8)) { Classifications(ref reader); }
            else if (reader.ValueTextEquals("componentTypes"u8)) { types = Strings(ref reader, "componentTypes"); }
            else if (reader.ValueTextEquals("currency"u8)) { currency = OptionalString(ref reader, "currency"); }
            else if (reader.ValueTextEquals("parentCode"u8)) { parent = OptionalString(ref reader, "parentCode"); }
            else if (reader.ValueTextEquals("releases"u8)) { Releases(ref reader, releases); }
            else if (reader.ValueTextEquals("status"u8)) { status = String(ref reader, "status"); }
            else if (reader.ValueTextEquals("supersededBy"u8)) { supersededBy = Strings(ref reader, "supersededBy"); }
            else if (reader.ValueTextEquals("supersedes"u8)) { supersedes = Strings(ref reader, "supersedes"); }
            else if (reader.ValueTextEquals("title"u8)) { title = String(ref reader, "title"); }
            else if (reader.ValueTextEquals("updatedDate"u8)) { OptionalInstant(ref reader, "updatedDate"); }
            else if (reader.ValueTextEquals("usageRecommendations"u8)) { Usage(ref reader, usage); }
            else { throw Unknown(ref reader, "component"); }
        }
        while (NextMember(ref reader));

        return new ComponentEntry(
            code ?? throw Missing("component", "code"), types, title ?? throw Missing("component", "title"), status ?? throw Missing("component", "status"),
            currency, [.. releases], supersedes, supersededBy, [.. usage], parent);
    }

    public static CricosCourseEntry CricosCourse(ref Utf8JsonReader reader)
    {
        string? provider = null, code = null, name = null, vet = null, level = null, tuition = null, nonTuition = null, total = null;
        long? weeks = null;
        bool? expired = null;
        string[] locations = [];
        do
        {
            if (reader.ValueTextEquals("courseCode"u8)) { code = String(ref reader, "courseCode"); }
            else if (reader.ValueTextEquals("courseLevel"u8)) { level = OptionalString(ref reader, "courseLevel"); }
            else if (reader.ValueTextEquals("courseName"u8)) { name = String(ref reader, "courseName"); }
            else if (reader.ValueTextEquals("durationWeeks"u8)) { weeks = OptionalInteger(ref reader, "durationWeeks"); }
            else if (reader.ValueTextEquals("estimatedTotalCost"u8)) { total = OptionalString(ref reader, "estimatedTotalCost"); }
            else if (reader.ValueTextEquals("expired"u8)) { expired = Boolean(ref reader, "expired"); }
            else if (reader.ValueTextEquals("locations"u8)) { locations = Strings(ref reader, "locations"); }
            else if (reader.ValueTextEquals("nonTuitionFee"u8)) { nonTuition = OptionalString(ref reader, "nonTuitionFee"); }
            else if (reader.ValueTextEquals("providerCode"u8)) { provider = String(ref reader, "providerCode"); }
            else if (reader.ValueTextEquals("tuitionFee"u8)) { tuition = OptionalString(ref reader, "tuitionFee"); }
            else if (reader.ValueTextEquals("vetNationalCode"u8)) { vet = OptionalString(ref reader, "vetNationalCode"); }
            else { throw Unknown(ref reader, "cricos-course"); }
        }
        while (NextMember(ref reader));

        return new CricosCourseEntry(
            provider ?? throw Missing("cricos-course", "providerCode"), code ?? throw Missing("cricos-course", "courseCode"),
            name ?? throw Missing("cricos-course", "courseName"), vet, level, weeks, tuition, nonTuition, total,
            expired ?? throw Missing("cricos-course", "expired"), locations);
    }

    public static CricosProviderEntry CricosProvider(ref Utf8JsonReader reader)
    {
        string? code = null, name = null, trading = null;
        do
        {
            if (reader.ValueTextEquals("institutionName"u8)) { name = String(ref reader, "institutionName"); }
            else if (reader.ValueTextEquals("providerCode"u8)) { code = String(ref reader, "providerCode"); }
            else if (reader.ValueTextEquals("tradingName"u8)) { trading = OptionalString(ref reader, "tradingName"); }
            else if (reader.ValueTextEquals("capacity"u8)) { _ = OptionalInteger(ref reader, "capacity"); }
            else if (reader.GetString() is "institutionType" or "postalCity" or "postalPostcode" or "postalState" or "website") { _ = OptionalString(ref reader, "cricos-provider text"); }
            else { throw Unknown(ref reader, "cricos-provider"); }
        }
        while (NextMember(ref reader));

        return new CricosProviderEntry(code ?? throw Missing("cricos-provider", "providerCode"), name ?? throw Missing("cricos-provider", "institutionName"), trading);
    }

    public static SanctionEntry Sanction(ref Utf8JsonReader reader)
    {
        string? reference = null, name = null, type = null, listing = null;
        string[] aliases = [];
        do
        {
            if (reader.ValueTextEquals("aliases"u8)) { aliases = Strings(ref reader, "aliases"); }
            else if (reader.ValueTextEquals("listingInformation"u8)) { listing = OptionalString(ref reader, "listingInformation"); }
            else if (reader.ValueTextEquals("name"u8)) { name = String(ref reader, "name"); }
            else if (reader.ValueTextEquals("reference"u8)) { reference = String(ref reader, "reference"); }
            else if (reader.ValueTextEquals("type"u8)) { type = String(ref reader, "type"); }
            else if (reader.ValueTextEquals("controlDate"u8)) { _ = OptionalDate(ref reader, "controlDate"); }
            else if (reader.GetString() is "citizenship" or "committees" or "dateOfBirth" or "instrument" or "placeOfBirth") { _ = OptionalString(ref reader, "sanction text"); }
            else { throw Unknown(ref reader, "sanction"); }
        }
        while (NextMember(ref reader));

        return new SanctionEntry(reference ?? throw Missing("sanction", "reference"), name ?? throw Missing("sanction", "name"), type ?? throw Missing("sanction", "type"), aliases, listing);
    }

    public static OccupationShortageEntry OccupationShortage(ref Utf8JsonReader reader)
    {
        const string Kind = "occupation-shortage";
        string? classification = null, code = null, title = null, national = null;
        long? year = null, skillLevel = null;
        (string, string?)[]? states = null;
        do
        {
            if (reader.ValueTextEquals("classification"u8)) { classification = String(ref reader, "classification"); }
            else if (reader.ValueTextEquals("code"u8)) { code = String(ref reader, "code"); }
            else if (reader.ValueTextEquals("listYear"u8)) { year = Integer(ref reader, "listYear"); }
            else if (reader.ValueTextEquals("national"u8)) { national = Rating(String(ref reader, "national"), "national"); }
            else if (reader.ValueTextEquals("skillLevel"u8)) { skillLevel = OptionalInteger(ref reader, "skillLevel"); }
            else if (reader.ValueTextEquals("states"u8)) { states = States(ref reader); }
            else if (reader.ValueTextEquals("title"u8)) { title = String(ref reader, "title"); }
            else { throw Unknown(ref reader, Kind); }
        }
        while (NextMember(ref reader));

        if (classification is not (OccupationShortageRecord.AnzscoClassification or OccupationShortageRecord.OscaClassification or null))
        {
            throw new RecordFormatException(
                $"member 'classification' is '{classification}', not {OccupationShortageRecord.AnzscoClassification} or {OccupationShortageRecord.OscaClassification}.");
        }

        // The code is part of the token subject: digits only, so no separator can hide in it.
        if (code is not null && (code.Length == 0 || !code.All(char.IsAsciiDigit)))
        {
            throw new RecordFormatException($"member 'code' is '{code}', not an occupation code (digits).");
        }

        if (year is not (null or (>= 1900 and <= 9999)))
        {
            throw new RecordFormatException($"member 'listYear' is {year}, not a year.");
        }

        if (skillLevel is not (null or (>= 1 and <= 5)))
        {
            throw new RecordFormatException($"member 'skillLevel' is {skillLevel}, not a skill level from 1 to 5.");
        }

        return new OccupationShortageEntry(
            classification ?? throw Missing(Kind, "classification"), code ?? throw Missing(Kind, "code"), title ?? throw Missing(Kind, "title"),
            (int)(year ?? throw Missing(Kind, "listYear")), national ?? throw Missing(Kind, "national"), states ?? throw Missing(Kind, "states"), (int?)skillLevel);
    }

    /// <summary>A <c>vacancy-series:</c> record: no family reads it yet, so it is checked member by member and dropped.</summary>
    public static void VacancySeries(ref Utf8JsonReader reader)
    {
        const string Kind = "vacancy-series";
        var seen = 0;
        do
        {
            if (reader.ValueTextEquals("code"u8)) { _ = String(ref reader, "code"); seen |= 1; }
            else if (reader.ValueTextEquals("level"u8)) { _ = Integer(ref reader, "level"); seen |= 2; }
            else if (reader.ValueTextEquals("points"u8)) { Points(ref reader); seen |= 4; }
            else if (reader.ValueTextEquals("series"u8)) { _ = String(ref reader, "series"); seen |= 8; }
            else if (reader.ValueTextEquals("state"u8)) { _ = String(ref reader, "state"); seen |= 16; }
            else if (reader.ValueTextEquals("title"u8)) { _ = String(ref reader, "title"); seen |= 32; }
            else { throw Unknown(ref reader, Kind); }
        }
        while (NextMember(ref reader));

        RequireAll(Kind, seen, "code", "level", "points", "series", "state", "title");
    }

    /// <summary>A <c>labour-series:</c> record: no family reads it yet, so it is checked member by member and dropped.</summary>
    public static void LabourSeries(ref Utf8JsonReader reader)
    {
        const string Kind = "labour-series";
        var seen = 0;
        do
        {
            if (reader.ValueTextEquals("dataflow"u8)) { _ = String(ref reader, "dataflow"); seen |= 1; }
            else if (reader.ValueTextEquals("measure"u8)) { _ = String(ref reader, "measure"); seen |= 2; }
            else if (reader.ValueTextEquals("observations"u8)) { Observations(ref reader); seen |= 4; }
            else if (reader.ValueTextEquals("seriesKey"u8)) { _ = String(ref reader, "seriesKey"); seen |= 8; }
            else if (reader.ValueTextEquals("state"u8)) { _ = String(ref reader, "state"); seen |= 16; }
            else if (reader.ValueTextEquals("unit"u8)) { _ = String(ref reader, "unit"); seen |= 32; }
            else { throw Unknown(ref reader, Kind); }
        }
        while (NextMember(ref reader));

        RequireAll(Kind, seen, "dataflow", "measure", "observations", "seriesKey", "state", "unit");
    }

    /// <summary>A record of a kind no family reads: its JSON is still checked to the end.</summary>
    public static void Skip(ref Utf8JsonReader reader)
    {
        do
        {
            reader.Skip();
        }
        while (NextMember(ref reader));
    }

    /// <summary>Checks a component's <c>classifications</c> (scheme, value, purpose, optional end date): no token family carries them yet.</summary>
    private static void Classifications(ref Utf8JsonReader reader)
    {
        StartArray(ref reader, "classifications");
        while (NextObject(ref reader, "classifications"))
        {
            var seen = 0;
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("endDate"u8)) { _ = OptionalDate(ref reader, "classifications.endDate"); }
                else if (reader.ValueTextEquals("purpose"u8)) { _ = OptionalString(ref reader, "classifications.purpose"); seen |= 1; }
                else if (reader.ValueTextEquals("scheme"u8)) { _ = String(ref reader, "classifications.scheme"); seen |= 2; }
                else if (reader.ValueTextEquals("value"u8)) { _ = String(ref reader, "classifications.value"); seen |= 4; }
                else { throw Unknown(ref reader, "component classification"); }
            }

            RequireAll("component classification", seen, "purpose", "scheme", "value");
        }
    }

    /// <summary>The <c>states</c> object: known state codes only, each a known rating; every state present in the result (null when the record has none).</summary>
    private static (string, string?)[] States(ref Utf8JsonReader reader)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.StartObject)
        {
            throw new RecordFormatException($"member 'states' must be an object of state ratings, not {reader.TokenType}.");
        }

        var codes = OccupationShortageRecord.StateCodes;
        var ratings = new string?[codes.Count];
        while (NextMember(ref reader))
        {
            var state = reader.GetString()!;
            var index = IndexOf(codes, state);
            if (index < 0)
            {
                throw new RecordFormatException($"member 'states' names '{state}', not a state or territory ({string.Join(", ", codes)}).");
            }

            ratings[index] = Rating(String(ref reader, "states." + state), "states." + state);
        }

        var result = new (string, string?)[codes.Count];
        for (var i = 0; i < codes.Count; i++)
        {
            result[i] = (codes[i], ratings[i]);
        }

        Array.Sort(result, static (a, b) => string.CompareOrdinal(a.Item1, b.Item1));
        return result;
    }

    private static string Rating(string value, string member) =>
        IndexOf(OccupationShortageRecord.Ratings, value) >= 0
            ? value
            : throw new RecordFormatException($"member '{member}' is '{value}', not a rating ({string.Join(", ", OccupationShortageRecord.Ratings)}).");

    private static int IndexOf(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.Ordinal))
            {
                return i;
            }
        }

        return -1;
    }

    private static void Points(ref Utf8JsonReader reader)
    {
        StartArray(ref reader, "points");
        while (NextObject(ref reader, "points"))
        {
            var seen = 0;
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("month"u8)) { _ = OptionalDate(ref reader, "points.month") ?? throw new RecordFormatException("member 'points.month' must be a date, not null."); seen |= 1; }
                else if (reader.ValueTextEquals("value"u8)) { Number(ref reader, "points.value"); seen |= 2; }
                else { throw Unknown(ref reader, "vacancy point"); }
            }

            RequireAll("vacancy point", seen, "month", "value");
        }
    }

    private static void Observations(ref Utf8JsonReader reader)
    {
        StartArray(ref reader, "observations");
        while (NextObject(ref reader, "observations"))
        {
            var seen = 0;
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("period"u8)) { _ = String(ref reader, "observations.period"); seen |= 1; }
                else if (reader.ValueTextEquals("status"u8)) { _ = OptionalString(ref reader, "observations.status"); seen |= 2; }
                else if (reader.ValueTextEquals("value"u8)) { Number(ref reader, "observations.value"); seen |= 4; }
                else { throw Unknown(ref reader, "labour observation"); }
            }

            RequireAll("labour observation", seen, "period", "status", "value");
        }
    }

    /// <summary>Every member of <paramref name="members"/> (bit i of <paramref name="seen"/> for member i) was present.</summary>
    private static void RequireAll(string record, int seen, params ReadOnlySpan<string> members)
    {
        for (var i = 0; i < members.Length; i++)
        {
            if ((seen & (1 << i)) == 0)
            {
                throw Missing(record, members[i]);
            }
        }
    }

    /// <summary>Checks <c>contacts</c> (personal data: checked, never kept, so no token can carry it).</summary>
    private static void Contacts(ref Utf8JsonReader reader)
    {
        StartArray(ref reader, "contacts");
        while (NextObject(ref reader, "contacts"))
        {
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("postalAddress"u8)) { OptionalAddress(ref reader, "contacts.postalAddress"); }
                else if (reader.GetString() is ("email" or "firstName" or "jobTitle" or "lastName" or "organisationName" or "phone" or "roleCode" or "typeCode") and var name)
                {
                    _ = OptionalString(ref reader, "contacts." + name);
                }
                else { throw Unknown(ref reader, "rto contact"); }
            }
        }
    }

    private static void Locations(ref Utf8JsonReader reader)
    {
        StartArray(ref reader, "locations");
        while (NextObject(ref reader, "locations"))
        {
            AddressMembers(ref reader, "locations");
        }
    }

    private static void OptionalAddress(ref Utf8JsonReader reader, string member)
    {
        reader.Read();
        switch (reader.TokenType)
        {
            case JsonTokenType.Null:
                return;
            case JsonTokenType.StartObject:
                AddressMembers(ref reader, member);
                return;
            default:
                throw new RecordFormatException($"member '{member}' must be an address object or null, not {reader.TokenType}.");
        }
    }

    /// <summary>The members of an address object (the reader on its start): text or null each, nothing else.</summary>
    private static void AddressMembers(ref Utf8JsonReader reader, string member)
    {
        while (NextMember(ref reader))
        {
            if (reader.GetString() is ("countryCode" or "line1" or "line2" or "postcode" or "stateCode" or "suburb") and var name)
            {
                _ = OptionalString(ref reader, member + "." + name);
            }
            else { throw Unknown(ref reader, "rto address"); }
        }
    }

    private static void Releases(ref Utf8JsonReader reader, List<ReleaseEntry> releases)
    {
        StartArray(ref reader, "releases");
        while (NextObject(ref reader, "releases"))
        {
            string? number = null, date = null, currency = null;
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("currency"u8)) { currency = OptionalString(ref reader, "releases.currency"); }
                else if (reader.ValueTextEquals("releaseDate"u8)) { date = OptionalDate(ref reader, "releases.releaseDate"); }
                else if (reader.ValueTextEquals("releaseNumber"u8)) { number = String(ref reader, "releases.releaseNumber"); }
                else if (reader.ValueTextEquals("unitCodes"u8)) { _ = Strings(ref reader, "releases.unitCodes"); }
                else { throw Unknown(ref reader, "component release"); }
            }

            releases.Add(new ReleaseEntry(number ?? throw Missing("component release", "releaseNumber"), date, currency));
        }
    }

    private static void Usage(ref Utf8JsonReader reader, List<UsageEntry> usage)
    {
        StartArray(ref reader, "usageRecommendations");
        while (NextObject(ref reader, "usageRecommendations"))
        {
            string? state = null, start = null, end = null;
            while (NextMember(ref reader))
            {
                if (reader.ValueTextEquals("endDate"u8)) { end = OptionalDate(ref reader, "usageRecommendations.endDate"); }
                else if (reader.ValueTextEquals("startDate"u8)) { start = OptionalDate(ref reader, "usageRecommendations.startDate"); }
                else if (reader.ValueTextEquals("state"u8)) { state = String(ref reader, "usageRecommendations.state"); }
                else { throw Unknown(ref reader, "usage recommendation"); }
            }

            usage.Add(new UsageEntry(state ?? throw Missing("usage recommendation", "state"), start, end));
        }
    }
}
