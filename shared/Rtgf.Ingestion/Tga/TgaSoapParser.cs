using System.Xml;
using Rtgf.Ingestion.Records;
using static Rtgf.Ingestion.Tga.XmlCursor;

namespace Rtgf.Ingestion.Tga;

/// <summary>
/// Reads TGA SOAP responses forward-only into normalised records. Unknown elements are skipped (versioned services add
/// fields and <c>xsi:type</c> subtypes); anything malformed, truncated or missing a required field is an
/// <see cref="UpstreamFormatException"/>; a SOAP fault is a <see cref="TgaSoapFaultException"/>.
/// </summary>
internal static class TgaSoapParser
{
    /// <summary>Reads <c>Envelope/Body/{operation}Response/{operation}Result</c> with <paramref name="readResult"/>, then checks the document ends properly.</summary>
    public static T ParseEnvelope<T>(Stream xml, string operation, Func<XmlReader, T> readResult)
    {
        try
        {
            using var reader = XmlReader.Create(xml, Settings);
            if (reader.MoveToContent() != XmlNodeType.Element || reader.LocalName != "Envelope")
            {
                throw new UpstreamFormatException($"TGA {operation}: expected a SOAP Envelope, found <{reader.LocalName}> at {Where(reader)}.");
            }

            T? result = default;
            var found = false;
            var envelopeDepth = reader.Depth;
            if (Enter(reader))
            {
                while (NextChild(reader, envelopeDepth))
                {
                    if (reader.LocalName != "Body")
                    {
                        reader.Skip();
                        continue;
                    }

                    var bodyDepth = reader.Depth;
                    if (!Enter(reader))
                    {
                        continue;
                    }

                    while (NextChild(reader, bodyDepth))
                    {
                        if (reader.LocalName == "Fault")
                        {
                            throw ReadFault(reader);
                        }

                        if (reader.LocalName != operation + "Response")
                        {
                            throw new UpstreamFormatException($"TGA {operation}: expected <{operation}Response> in the SOAP Body, found <{reader.LocalName}> at {Where(reader)}.");
                        }

                        var responseDepth = reader.Depth;
                        if (!Enter(reader))
                        {
                            continue;
                        }

                        while (NextChild(reader, responseDepth))
                        {
                            if (reader.LocalName == operation + "Result")
                            {
                                result = readResult(reader);
                                found = true;
                            }
                            else
                            {
                                reader.Skip();
                            }
                        }
                    }
                }
            }

            // Reading to the end catches a document cut off after the result.
            while (reader.Read())
            {
            }

            return found ? result! : throw new UpstreamFormatException($"TGA {operation}: the response has no <{operation}Result> element.");
        }
        catch (XmlException ex)
        {
            throw new UpstreamFormatException($"TGA {operation}: the response is not well-formed XML (line {ex.LineNumber}, position {ex.LinePosition}): {ex.Message}", ex);
        }
    }

    public static DateTimeOffset ReadServerTime(XmlReader reader)
    {
        var where = Where(reader);
        var text = Text(reader);
        return DateTimeOffset.TryParse(text, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var value)
            ? value
            : throw new UpstreamFormatException($"TGA GetServerTime: expected an xs:dateTime at {where}, found '{text}'.");
    }

    public static TgaSearchPage<T> ReadSearchPage<T>(XmlReader reader, Func<XmlReader, T> readItem)
    {
        var depth = reader.Depth;
        int? count = null;
        var pageNumber = 0;
        var pageSize = 0;
        var items = new List<T>();
        if (!IsNil(reader) && Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Count":
                        count = Int(reader);
                        break;
                    case "PageNumber":
                        pageNumber = Int(reader);
                        break;
                    case "PageSize":
                        pageSize = Int(reader);
                        break;
                    case "Results":
                        Items(reader, r => items.Add(readItem(r)));
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }
        else if (IsNil(reader))
        {
            reader.Skip();
        }

        return count is { } total
            ? new TgaSearchPage<T>(total, pageNumber, pageSize, items)
            : throw new UpstreamFormatException("TGA search result has no <Count>: expected Count, PageNumber, PageSize and Results.");
    }

    public static List<T> ReadArray<T>(XmlReader reader, Func<XmlReader, T> readItem)
    {
        var items = new List<T>();
        Items(reader, r => items.Add(readItem(r)));
        return items;
    }

    public static TrainingComponentSummary ReadComponentSummary(XmlReader reader)
    {
        const string Owner = "TrainingComponentSummary";
        var depth = reader.Depth;
        string? code = null, title = null, usage = null;
        IReadOnlyList<string> types = [];
        var isCurrent = false;
        DateTimeOffset? updated = null;
        bool hasTitle = false, hasUsage = false, hasUpdated = false;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Code": code = RequiredText(reader, Owner); break;
                    case "ComponentType": types = List(reader); break;
                    case "Title": hasTitle = true; title = Text(reader); break;
                    case "IsCurrent": isCurrent = Bool(reader); break;
                    case "UsageReccomendation": hasUsage = true; usage = Text(reader); break; // sic: the WSDL's spelling, and only that
                    case "UpdatedDate": hasUpdated = true; updated = DateTimeOffsetPair(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        // WCF data contracts always emit every member (nil when null): a missing one means the schema drifted.
        Require(Owner, ("Title", hasTitle), ("UsageReccomendation", hasUsage), ("UpdatedDate", hasUpdated));
        return new TrainingComponentSummary(code ?? throw Missing(Owner, "Code"), types, title, isCurrent, usage, updated);
    }

    public static OrganisationSummary ReadOrganisationSummary(XmlReader reader)
    {
        const string Owner = "OrganisationSearchResultItem";
        var depth = reader.Depth;
        string? code = null, legal = null, trading = null, status = null;
        var active = false;
        DateTimeOffset? updated = null;
        bool hasLegal = false, hasTrading = false, hasUpdated = false;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Code": code = RequiredText(reader, Owner); break;
                    case "LegalPersonName": hasLegal = true; legal = Text(reader); break;
                    case "TradingName": hasTrading = true; trading = Text(reader); break;
                    case "HasActiveRegistration": active = Bool(reader); break;
                    case "RegistrationStatus": status = Text(reader); break;
                    case "UpdatedDate": hasUpdated = true; updated = DateTimeOffsetPair(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        Require(Owner, ("LegalPersonName", hasLegal), ("TradingName", hasTrading), ("UpdatedDate", hasUpdated));

        return new OrganisationSummary(code ?? throw Missing(Owner, "Code"), legal, trading, active, status, updated);
    }

    /// <summary>A <c>DeletedTrainingComponent</c> (code in <c>NationalCode</c>) or <c>DeletedOrganisation</c> (<c>OrganisationCode</c>).</summary>
    public static DeletedEntry ReadDeleted(XmlReader reader)
    {
        var owner = reader.LocalName;
        var depth = reader.Depth;
        string? code = null, operation = null;
        DateTimeOffset? updated = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "NationalCode" or "OrganisationCode": code = RequiredText(reader, owner); break;
                    case "Operation": operation = Text(reader); break;
                    case "UpdatedDate": updated = DateTimeOffsetPair(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return new DeletedEntry(code ?? throw Missing(owner, "NationalCode/OrganisationCode"), operation ?? "Unknown", updated);
    }

    public static TrainingComponentRecord ReadTrainingComponent(XmlReader reader)
    {
        const string Owner = "TrainingComponent";
        if (IsNil(reader))
        {
            throw new UpstreamFormatException("TGA GetDetails returned a nil TrainingComponent (unknown code?).");
        }

        var depth = reader.Depth;
        string? code = null, title = null, parent = null;
        IReadOnlyList<string> types = [];
        DateTimeOffset? updated = null;
        var releases = new List<ReleaseRecord>();
        var mappings = new List<(string? Code, string? MapsTo)>();
        var usage = new List<UsageRecommendationRecord>();
        var classifications = new List<ClassificationRecord>();
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Code": code = RequiredText(reader, Owner); break;
                    case "Classifications": Items(reader, r => classifications.Add(ReadClassification(r))); break;
                    case "ComponentType": types = List(reader); break;
                    case "Title": title = Text(reader); break;
                    case "ParentCode": parent = Text(reader); break;
                    case "UpdatedDate": updated = DateTimeOffsetPair(reader); break;
                    case "Releases": Items(reader, r => releases.Add(ReadRelease(r))); break;
                    case "MappingInformation": Items(reader, r => mappings.Add(ReadMapping(r))); break;
                    case "UsageRecommendations": Items(reader, r => usage.Add(ReadUsage(r))); break;
                    default: reader.Skip(); break;
                }
            }
        }

        if (code is null)
        {
            throw Missing(Owner, "Code");
        }
        var ordered = releases.OrderByDescending(r => r.ReleaseDate).ThenByDescending(r => r.ReleaseNumber, StringComparer.Ordinal).ToList();
        var sortedUsage = usage.OrderBy(u => u.StartDate).ThenBy(u => u.State, StringComparer.Ordinal).ToList();
        var status = sortedUsage.LastOrDefault(u => u.EndDate is null)?.State ?? sortedUsage.LastOrDefault()?.State ?? "Unknown";
        return new TrainingComponentRecord(
            code,
            types,
            title ?? throw Missing(Owner, "Title"),
            status,
            ordered.FirstOrDefault()?.Currency,
            [.. ordered.OrderBy(r => r.ReleaseDate).ThenBy(r => r.ReleaseNumber, StringComparer.Ordinal)],
            SnapshotJson.Sorted(mappings.Where(m => m.Code == code).Select(m => m.MapsTo)),
            SnapshotJson.Sorted(mappings.Where(m => m.MapsTo == code).Select(m => m.Code)),
            sortedUsage,
            string.IsNullOrEmpty(parent) ? null : parent,
            updated)
        {
            Classifications =
            [
                .. classifications.Distinct()
                    .OrderBy(c => c.Scheme, StringComparer.Ordinal)
                    .ThenBy(c => c.Value, StringComparer.Ordinal)
                    .ThenBy(c => c.Purpose, StringComparer.Ordinal)
                    .ThenBy(c => c.EndDate),
            ],
        };
    }

    /// <summary>
    /// One <c>Classification</c> of a component: scheme (<c>01</c> ANZSCO, <c>02</c> ASCO, <c>03</c>/<c>04</c> ASCED field of
    /// education, <c>05</c> qualification level, <c>06</c> NRT type), value, purpose and end
    /// date (an end-dated ANZSCO classification was replaced: the register links only those not ended at its as-of date).
    /// The start date is not kept (see <see cref="ClassificationRecord"/>).
    /// </summary>
    private static ClassificationRecord ReadClassification(XmlReader reader)
    {
        const string Owner = "Classification";
        var depth = reader.Depth;
        string? scheme = null, value = null, purpose = null;
        DateOnly? end = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "SchemeCode": scheme = Clean(reader); break;
                    case "ValueCode": value = Clean(reader); break;
                    case "PurposeCode": purpose = Clean(reader); break;
                    case "EndDate": end = Date(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return new ClassificationRecord(scheme ?? throw Missing(Owner, "SchemeCode"), value ?? throw Missing(Owner, "ValueCode"), purpose, end);
    }

    public static OrganisationDetails ReadOrganisation(XmlReader reader)
    {
        const string Owner = "Organisation";
        if (IsNil(reader))
        {
            throw new UpstreamFormatException("TGA GetDetails returned a nil Organisation (unknown code?).");
        }

        var depth = reader.Depth;
        string? code = null, status = null;
        DateTimeOffset? updated = null;
        var legal = new List<(string? Name, string? Abn, DateOnly? Start, DateOnly? End)>();
        var trading = new List<(string? Name, DateOnly? End)>();
        var managers = new List<(string? Code, DateOnly? Start, DateOnly? End)>();
        var periods = new List<(DateOnly? Start, DateOnly? End)>();
        var scopes = new List<ScopeRow>();
        var contacts = new List<(RtoContact Contact, DateOnly? End)>();
        var locations = new List<(RtoAddress? Address, DateOnly? End)>();
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Code": code = RequiredText(reader, Owner); break;
                    case "Codes": Items(reader, r => code ??= ReadCodeRow(r)); break;
                    case "RegistrationStatus": status = Text(reader); break;
                    case "UpdatedDate": updated = DateTimeOffsetPair(reader); break;
                    case "ResponsibleLegalPersons": Items(reader, r => legal.Add(ReadLegalPerson(r))); break;
                    case "TradingNames": Items(reader, r => trading.Add(ReadTradingName(r))); break;
                    case "RegistrationManagers": Items(reader, r => managers.Add(ReadManager(r))); break;
                    case "RegistrationPeriods": Items(reader, r => periods.Add(ReadPeriod(r))); break;
                    case "Scopes": Items(reader, r => scopes.Add(ReadScope(r))); break;
                    case "Contacts": Items(reader, r => contacts.Add(ReadContact(r))); break;
                    case "Locations": Items(reader, r => locations.Add(ReadLocation(r))); break;
                    default: reader.Skip(); break;
                }
            }
        }

        if (code is null)
        {
            throw Missing(Owner, "Code");
        }
        var currentLegal = legal.Where(l => l.End is null).OrderByDescending(l => l.Start).Concat(legal.OrderByDescending(l => l.Start)).FirstOrDefault();
        var manager = managers.Where(m => m.End is null).OrderByDescending(m => m.Start).Concat(managers.OrderByDescending(m => m.Start)).FirstOrDefault();
        var period = periods.OrderByDescending(p => p.Start).FirstOrDefault();
        var rto = new RtoRecord(
            code,
            currentLegal.Name,
            currentLegal.Abn,
            SnapshotJson.Sorted(trading.Where(t => t.End is null).Select(t => t.Name)),
            status,
            manager.Code,
            period.Start,
            period.End,
            updated)
        {
            // Current rows only: TGA end-dates a contact or location when it is replaced. No clock is consulted (see RtoRecord).
            Contacts = [.. contacts.Where(c => c.End is null).Select(c => c.Contact)],
            Locations = [.. locations.Where(l => l.End is null && l.Address is not null).Select(l => l.Address!)],
        };
        var scopeRows = scopes.Select(s => new ScopeRecord(code, s.Component, s.Types, s.Extent, s.IsImplicit, s.IsRefused, s.Decision, s.Start, s.End))
            .OrderBy(s => s.ComponentCode, StringComparer.Ordinal).ThenBy(s => s.StartDate).ToList();
        return new OrganisationDetails(rto, scopeRows);
    }

    public static TgaSoapFaultException ReadFault(XmlReader reader)
    {
        var depth = reader.Depth;
        string? code = null, reason = null;
        var errors = new List<TgaValidationError>();
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "faultcode": code = Text(reader); break;
                    case "faultstring": reason = Text(reader); break;
                    case "Code": code = ReadNestedText(reader, "Value"); break;
                    case "Reason": reason = ReadNestedText(reader, "Text"); break;
                    case "detail" or "Detail": ReadFaultDetail(reader, errors); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return new TgaSoapFaultException(code ?? "unknown", reason ?? string.Empty, errors);
    }

    private static ReleaseRecord ReadRelease(XmlReader reader)
    {
        const string Owner = "Release";
        var depth = reader.Depth;
        string? number = null, currency = null;
        DateOnly? date = null;
        var units = new List<string?>();
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "ReleaseNumber": number = RequiredText(reader, Owner); break;
                    case "ReleaseDate": date = Date(reader); break;
                    case "Currency": currency = Text(reader); break;
                    case "UnitGrid": Items(reader, r => units.Add(ReadChildText(r, "Code"))); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return new ReleaseRecord(number ?? throw Missing(Owner, "ReleaseNumber"), date, currency, SnapshotJson.Sorted(units));
    }

    private static (string? Code, string? MapsTo) ReadMapping(XmlReader reader)
    {
        var depth = reader.Depth;
        string? code = null, mapsTo = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Code": code = Text(reader); break;
                    case "MapsToCode": mapsTo = Text(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return (code, mapsTo);
    }

    private static UsageRecommendationRecord ReadUsage(XmlReader reader)
    {
        var depth = reader.Depth;
        string? state = null;
        DateOnly? start = null, end = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "State": state = RequiredText(reader, "UsageRecommendation"); break;
                    case "StartDate": start = Date(reader); break;
                    case "EndDate": end = Date(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return new UsageRecommendationRecord(state ?? throw Missing("UsageRecommendation", "State"), start, end);
    }

    private static string? ReadCodeRow(XmlReader reader) => ReadChildText(reader, "Code");

    private static (string? Name, string? Abn, DateOnly? Start, DateOnly? End) ReadLegalPerson(XmlReader reader)
    {
        var depth = reader.Depth;
        string? name = null, abn = null;
        DateOnly? start = null, end = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Name": name = Text(reader); break;
                    case "Abns": Items(reader, r => abn ??= Text(r)?.Replace(" ", string.Empty, StringComparison.Ordinal)); break;
                    case "StartDate": start = Date(reader); break;
                    case "EndDate": end = Date(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return (name, abn, start, end);
    }

    private static (string? Name, DateOnly? End) ReadTradingName(XmlReader reader)
    {
        var depth = reader.Depth;
        string? name = null;
        DateOnly? end = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Name": name = Text(reader); break;
                    case "EndDate": end = Date(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return (name, end);
    }

    private static (string? Code, DateOnly? Start, DateOnly? End) ReadManager(XmlReader reader)
    {
        var depth = reader.Depth;
        string? code = null;
        DateOnly? start = null, end = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Code": code = Text(reader); break;
                    case "StartDate": start = Date(reader); break;
                    case "EndDate": end = Date(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return (code, start, end);
    }

    private static (DateOnly? Start, DateOnly? End) ReadPeriod(XmlReader reader)
    {
        var depth = reader.Depth;
        DateOnly? start = null, end = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "StartDate": start = Date(reader); break;
                    case "EndDate": end = Date(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return (start, end);
    }

    /// <summary>A <c>Contact</c> (any <c>xsi:type</c> subtype) and its end date.</summary>
    private static (RtoContact Contact, DateOnly? End) ReadContact(XmlReader reader)
    {
        var depth = reader.Depth;
        string? email = null, first = null, job = null, last = null, organisation = null, phone = null, role = null, type = null;
        RtoAddress? postal = null;
        DateOnly? end = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Email": email = Clean(reader); break;
                    case "FirstName": first = Clean(reader); break;
                    case "JobTitle": job = Clean(reader); break;
                    case "LastName": last = Clean(reader); break;
                    case "OrganisationName": organisation = Clean(reader); break;
                    case "Phone": phone = Clean(reader); break;
                    case "PostalAddress": postal = ReadAddress(reader); break;
                    case "RoleCode": role = Clean(reader); break;
                    case "TypeCode": type = Clean(reader); break;
                    case "EndDate": end = Date(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return (new RtoContact(email, first, job, last, organisation, phone, postal, role, type), end);
    }

    /// <summary>An <c>OrganisationLocation</c>: its <c>Address</c> and end date.</summary>
    private static (RtoAddress? Address, DateOnly? End) ReadLocation(XmlReader reader)
    {
        var depth = reader.Depth;
        RtoAddress? address = null;
        DateOnly? end = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Address": address = ReadAddress(reader); break;
                    case "EndDate": end = Date(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return (address, end);
    }

    /// <summary>An <c>Address</c>; null when nil or when every kept member is empty.</summary>
    private static RtoAddress? ReadAddress(XmlReader reader)
    {
        if (IsNil(reader))
        {
            reader.Skip();
            return null;
        }

        var depth = reader.Depth;
        string? country = null, line1 = null, line2 = null, postcode = null, state = null, suburb = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "CountryCode": country = Clean(reader); break;
                    case "Line1": line1 = Clean(reader); break;
                    case "Line2": line2 = Clean(reader); break;
                    case "Postcode": postcode = Clean(reader); break;
                    case "StateCode": state = Clean(reader); break;
                    case "Suburb": suburb = Clean(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return country is null && line1 is null && line2 is null && postcode is null && state is null && suburb is null
            ? null
            : new RtoAddress(country, line1, line2, postcode, state, suburb);
    }

    /// <summary>Trimmed text; empty or nil is null.</summary>
    private static string? Clean(XmlReader reader) => Text(reader)?.Trim() is { Length: > 0 } text ? text : null;

    private static ScopeRow ReadScope(XmlReader reader)
    {
        const string Owner = "Scope";
        var depth = reader.Depth;
        string? nrt = null, extent = null, decision = null;
        IReadOnlyList<string> types = [];
        bool isImplicit = false, isRefused = false;
        DateOnly? start = null, end = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "NrtCode": nrt = RequiredText(reader, Owner); break;
                    case "ExtentCode": extent = Text(reader); break;
                    case "TrainingComponentType": types = List(reader); break;
                    case "IsImplicit": isImplicit = Bool(reader); break;
                    case "IsRefused": isRefused = Bool(reader); break;
                    case "ScopeDecisionType": decision = Text(reader); break;
                    case "StartDate": start = Date(reader); break;
                    case "EndDate": end = Date(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return new ScopeRow(nrt ?? throw Missing(Owner, "NrtCode"), types, extent, isImplicit, isRefused, decision, start, end);
    }

    /// <summary>The text of the first child named <paramref name="child"/> (other children skipped).</summary>
    private static string? ReadChildText(XmlReader reader, string child)
    {
        var depth = reader.Depth;
        string? value = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                if (reader.LocalName == child && value is null)
                {
                    value = Text(reader);
                }
                else
                {
                    reader.Skip();
                }
            }
        }

        return value;
    }

    private static string? ReadNestedText(XmlReader reader, string child) => ReadChildText(reader, child);

    private static void ReadFaultDetail(XmlReader reader, List<TgaValidationError> errors)
    {
        var depth = reader.Depth;
        if (!Enter(reader))
        {
            return;
        }

        while (NextChild(reader, depth))
        {
            if (reader.LocalName != "ValidationFault")
            {
                reader.Skip();
                continue;
            }

            var faultDepth = reader.Depth;
            if (!Enter(reader))
            {
                continue;
            }

            while (NextChild(reader, faultDepth))
            {
                if (reader.LocalName == "Errors")
                {
                    Items(reader, r => errors.Add(ReadValidationError(r)));
                }
                else
                {
                    reader.Skip();
                }
            }
        }
    }

    private static TgaValidationError ReadValidationError(XmlReader reader)
    {
        var depth = reader.Depth;
        string? code = null, message = null, severity = null, subCode = null, target = null, context = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "Code": code = Text(reader); break;
                    case "Message": message = Text(reader); break;
                    case "Severity": severity = Text(reader); break;
                    case "SubCode": subCode = Text(reader); break;
                    case "ValidationTarget": target = Text(reader); break;
                    case "Context": context = Text(reader); break;
                    default: reader.Skip(); break;
                }
            }
        }

        return new TgaValidationError(code, message, severity, subCode, target, context);
    }

    private static void Require(string owner, params (string Element, bool Present)[] members)
    {
        foreach (var (element, present) in members)
        {
            if (!present)
            {
                throw Missing(owner, element);
            }
        }
    }

    private static UpstreamFormatException Missing(string owner, string element) =>
        new($"TGA <{owner}> has no <{element}>: the response does not match the documented schema.");

    /// <summary>A scope row before the organisation code (which may come later in the document) is known.</summary>
    private readonly record struct ScopeRow(
        string Component, IReadOnlyList<string> Types, string? Extent, bool IsImplicit, bool IsRefused, string? Decision, DateOnly? Start, DateOnly? End);
}
