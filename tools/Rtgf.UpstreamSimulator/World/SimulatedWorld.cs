using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rtgf.UpstreamSimulator.Abs;
using Rtgf.UpstreamSimulator.AusTender;
using Rtgf.UpstreamSimulator.Calendar;
using Rtgf.UpstreamSimulator.DataGovAu;

namespace Rtgf.UpstreamSimulator.World;

/// <summary>
/// Everything the fake upstreams serve, plus the simulated server clock. Endpoints read it and the admin API changes
/// it under <see cref="Gate"/>; every change stamps the clock into the modified/deleted dates it touches.
/// </summary>
internal sealed class SimulatedWorld
{
    private readonly Dictionary<string, int> _rtoIndex = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, int> _componentIndex = new(StringComparer.OrdinalIgnoreCase);
    private readonly Dictionary<string, (int Revision, object Value)> _cache = new(StringComparer.Ordinal);

    public SimulatedWorld(
        string corpus,
        ulong seed,
        DateTimeOffset clock,
        List<Rto> rtos,
        List<TrainingComponent> components,
        ScopeRow[] scope,
        List<CricosProvider> cricosProviders,
        List<CricosCourse> cricosCourses,
        List<CricosLocation> cricosLocations,
        List<TeqsaProvider> teqsaProviders,
        List<SanctionsParty> sanctions)
    {
        Corpus = corpus;
        Seed = seed;
        Clock = clock;
        Rtos = rtos;
        Components = components;
        Scope = scope;
        CricosProviders = cricosProviders;
        CricosCourses = cricosCourses;
        CricosLocations = cricosLocations;
        TeqsaProviders = teqsaProviders;
        Sanctions = sanctions;
        CricosUpdated = clock.AddDays(-3);
        SanctionsUpdated = clock.AddDays(-5);
        Abs = new AbsSeriesBook(corpus, seed, clock);
        DataGovAu = new DataGovAuCatalogue(clock);
        Holidays = new HolidayDataset(seed, DataGovAu, clock);
        for (var i = 0; i < rtos.Count; i++)
        {
            _rtoIndex.Add(rtos[i].Code, i);
        }

        for (var i = 0; i < components.Count; i++)
        {
            _componentIndex.Add(components[i].Code, i);
        }
    }

    public object Gate { get; } = new();

    public string Corpus { get; }

    public ulong Seed { get; }

    /// <summary>The simulated server time: what GetServerTime answers and what changes are stamped with.</summary>
    public DateTimeOffset Clock { get; private set; }

    public List<Rto> Rtos { get; }

    public List<TrainingComponent> Components { get; }

    /// <summary>All scope rows, grouped by organisation (each <see cref="Rto"/> owns a contiguous slice).</summary>
    public ScopeRow[] Scope { get; }

    public List<CricosProvider> CricosProviders { get; }

    public List<CricosCourse> CricosCourses { get; }

    public List<CricosLocation> CricosLocations { get; }

    public List<TeqsaProvider> TeqsaProviders { get; }

    public List<SanctionsParty> Sanctions { get; }

    /// <summary>The occupations the Occupation Shortage List rates (and the vacancy index counts by unit group).</summary>
    public List<Occupation> Occupations { get; init; } = [];

    /// <summary>The year of the current Occupation Shortage List.</summary>
    public int OslYear { get; set; }

    /// <summary>The Occupation Shortage List is published in its reshaped layout (columns moved, a two-row merged header; same data).</summary>
    public bool OslReshaped { get; set; }

    /// <summary>The Occupation Shortage List's files are named lower case with underscores (a naming JSA's site has used), not as titled.</summary>
    public bool OslUnderscoreNaming { get; set; }

    /// <summary>The Internet Vacancy Index's reference month (first day): the last month column of its workbooks.</summary>
    public DateOnly IviMonth { get; set; }

    /// <summary>The reference months at which the IVI revised its history (each rewrites the 24 months up to it).</summary>
    public List<DateOnly> IviRevisions { get; } = [];

    public DateTimeOffset CricosUpdated { get; private set; }

    public DateTimeOffset SanctionsUpdated { get; private set; }

    /// <summary>The ABS Data API's series (labour force, population) and the corrections applied to them.</summary>
    public AbsSeriesBook Abs { get; }

    /// <summary>data.gov.au's catalogue beside CRICOS (public holidays, NCVER, AusTender…) and its scripted changes.</summary>
    public DataGovAuCatalogue DataGovAu { get; }
    /// <summary>The content of the catalogue's public holidays files (the calendar's upstream); the files are the catalogue's.</summary>
    public HolidayDataset Holidays { get; }

    /// <summary>Counts changes applied, so download ETags move when content does.</summary>
    public int Revision { get; private set; }

    /// <summary>AusTender's scripted releases (the generated ones are a function of the seed and the clock).</summary>
    public AusTenderLedger AusTender { get; } = new();

    public Rto? FindRto(string code) => _rtoIndex.TryGetValue(code, out var i) ? Rtos[i] : null;

    public TrainingComponent? FindComponent(string code) => _componentIndex.TryGetValue(code, out var i) ? Components[i] : null;

    public ReadOnlySpan<ScopeRow> ScopeOf(Rto rto) => Scope.AsSpan(rto.ScopeStart, rto.ScopeCount);

    /// <summary>
    /// A rendered download (ZIP, XLSX) reused until the next change: national-scale files take a while to build and
    /// clients ask for them often (CKAN package_show hashes the ZIP). Call under <see cref="Gate"/>.
    /// </summary>
    public T Cached<T>(string key, Func<T> build)
        where T : class
    {
        if (_cache.TryGetValue(key, out var entry) && entry.Revision == Revision)
        {
            return (T)entry.Value;
        }

        var value = build();
        _cache[key] = (Revision, value);
        return value;
    }

    public void SetClock(DateTimeOffset value)
    {
        if (value < Clock)
        {
            throw new SimulatorException($"The clock only moves forward: {Format(value)} is before {Format(Clock)}.");
        }

        Clock = value.ToUniversalTime();
    }

    public void CancelRto(string code, string reason)
    {
        var rto = FindRto(code) ?? throw new SimulatorException($"No RTO with code '{code}'.");
        if (rto.Status == RtoStatus.Cancelled || rto.Deleted is not null)
        {
            throw new SimulatorException($"RTO {code} is already cancelled or deleted.");
        }

        var today = DateOnly.FromDateTime(Clock.UtcDateTime);
        rto.Status = RtoStatus.Cancelled;
        rto.RegistrationEnd = today;
        rto.EndReason = reason;
        rto.Updated = Clock;
        for (var i = rto.ScopeStart; i < rto.ScopeStart + rto.ScopeCount; i++)
        {
            if (Scope[i].End is null || Scope[i].End > today)
            {
                Scope[i] = Scope[i] with { End = today };
            }
        }

        Revision++;
    }

    /// <summary>Supersedes a current component by a new one (created now) or by an existing code.</summary>
    public TrainingComponent SupersedeComponent(string code, string? byCode, bool isEquivalent)
    {
        var old = FindComponent(code) ?? throw new SimulatorException($"No training component with code '{code}'.");
        if (old.Usage != UsageState.Current)
        {
            throw new SimulatorException($"Training component {code} is {old.Usage}, not Current.");
        }

        byCode ??= NextCode(old);
        var replacement = FindComponent(byCode);
        if (replacement is null)
        {
            replacement = new TrainingComponent
            {
                Code = byCode,
                Title = old.Title,
                Kind = old.Kind,
                PackageCode = old.PackageCode,
                QualificationLevel = old.QualificationLevel,
                Anzsco = old.Anzsco, // a successor leads to the same occupation
                Created = Clock,
                Updated = Clock,
                Usage = UsageState.Current,
                UsageSince = DateOnly.FromDateTime(Clock.UtcDateTime),
                ReleaseCount = 1,
                LatestReleaseDate = DateOnly.FromDateTime(Clock.UtcDateTime),
            };
            _componentIndex.Add(byCode, Components.Count);
            Components.Add(replacement);
        }

        replacement.Supersedes = old.Code;
        replacement.IsEquivalent = isEquivalent;
        replacement.Updated = Clock;
        old.Usage = UsageState.Superseded;
        old.UsageSince = DateOnly.FromDateTime(Clock.UtcDateTime);
        old.SupersededBy = replacement.Code;
        old.IsEquivalent = isEquivalent;
        old.Updated = Clock;
        Revision++;
        return replacement;
    }

    public void DeleteComponent(string code)
    {
        var component = FindComponent(code) ?? throw new SimulatorException($"No training component with code '{code}'.");
        if (component.Deleted is not null)
        {
            throw new SimulatorException($"Training component {code} is already deleted.");
        }

        component.Usage = UsageState.Deleted;
        component.UsageSince = DateOnly.FromDateTime(Clock.UtcDateTime);
        component.Deleted = Clock;
        component.Updated = Clock;
        Revision++;
    }

    public void DeleteOrganisation(string code)
    {
        var rto = FindRto(code) ?? throw new SimulatorException($"No RTO with code '{code}'.");
        if (rto.Deleted is not null)
        {
            throw new SimulatorException($"RTO {code} is already deleted.");
        }

        rto.Deleted = Clock;
        rto.Updated = Clock;
        Revision++;
    }

    /// <summary>Ends a current scope row today; the organisation counts as modified now.</summary>
    public void RemoveScope(string rtoCode, string componentCode)
    {
        var rto = FindRto(rtoCode) ?? throw new SimulatorException($"No RTO with code '{rtoCode}'.");
        var today = DateOnly.FromDateTime(Clock.UtcDateTime);
        for (var i = rto.ScopeStart; i < rto.ScopeStart + rto.ScopeCount; i++)
        {
            if (string.Equals(Components[Scope[i].Component].Code, componentCode, StringComparison.OrdinalIgnoreCase) && Scope[i].End is null)
            {
                Scope[i] = Scope[i] with { End = today };
                rto.Updated = Clock;
                Revision++;
                return;
            }
        }

        throw new SimulatorException($"RTO {rtoCode} has no current scope row for '{componentCode}'.");
    }

    public SanctionsParty AddSanction(string name, string type, IReadOnlyList<string> aliases, string dateOfBirth, string committees)
    {
        if (type is not ("Individual" or "Entity" or "Vessel"))
        {
            throw new SimulatorException($"Sanctions type must be Individual, Entity or Vessel, not '{type}'.");
        }

        var today = DateOnly.FromDateTime(Clock.UtcDateTime);
        var party = new SanctionsParty(
            Sanctions.Count == 0 ? 1 : Sanctions.Max(s => s.Reference) + 1,
            name,
            type,
            aliases,
            dateOfBirth,
            string.Empty,
            string.Empty,
            string.Empty,
            string.Empty,
            "Listed on " + today.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
            committees,
            today,
            "Autonomous Sanctions (Designated Persons and Entities) Instrument " + today.Year.ToString(CultureInfo.InvariantCulture),
            true,
            type == "Individual");
        Sanctions.Add(party);
        SanctionsUpdated = Clock;
        Revision++;
        return party;
    }

    public void ExpireCricosCourse(string courseCode)
    {
        var index = CricosCourses.FindIndex(c => string.Equals(c.CourseCode, courseCode, StringComparison.OrdinalIgnoreCase));
        if (index < 0)
        {
            throw new SimulatorException($"No CRICOS course with code '{courseCode}'.");
        }

        CricosCourses[index] = CricosCourses[index] with { Expired = true };
        CricosUpdated = Clock;
        Revision++;
    }

    /// <summary>SHA-256 over a canonical dump of the world: equal for equal seeds, and changes with any field.</summary>
    public string Fingerprint()
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var line = new StringBuilder();
        void Emit()
        {
            hash.AppendData(Encoding.UTF8.GetBytes(line.Append('\n').ToString()));
            line.Clear();
        }

        line.Append(Corpus).Append('|').Append(Format(Clock));
        Emit();
        foreach (var r in Rtos)
        {
            line.AppendJoin('|', r.Code, r.LegalName, r.TradingName, r.Abn, r.Acn, r.Status, r.RegistrationManager, r.RegistrationStart, r.RegistrationEnd,
                r.EndReason, r.Address, r.ContactFirstName, r.ContactLastName, r.Phone, r.Email, r.Website, Format(r.Created), Format(r.Updated),
                r.Deleted is { } d ? Format(d) : string.Empty, r.ScopeStart, r.ScopeCount);
            Emit();
        }

        foreach (var c in Components)
        {
            line.AppendJoin('|', c.Code, c.Title, c.Kind, c.PackageCode, Format(c.Created), Format(c.Updated), c.Usage, c.UsageSince, c.ReleaseCount,
                c.LatestReleaseDate, c.QualificationLevel, c.SupersededBy, c.Supersedes, c.IsEquivalent, c.Deleted is { } d ? Format(d) : string.Empty);
            Emit();
        }

        Span<byte> row = stackalloc byte[17];
        foreach (var s in Scope)
        {
            BitConverter.TryWriteBytes(row, s.Rto);
            BitConverter.TryWriteBytes(row[4..], s.Component);
            row[8] = s.Extent;
            BitConverter.TryWriteBytes(row[9..], s.Start.DayNumber);
            BitConverter.TryWriteBytes(row[13..], s.End?.DayNumber ?? -1);
            hash.AppendData(row);
        }

        foreach (var item in CricosProviders.Cast<object>().Concat(CricosCourses).Concat(CricosLocations).Concat(Sanctions))
        {
            line.Append(item switch
            {
                SanctionsParty p => p with { Aliases = [] } + string.Join(';', p.Aliases),
                _ => item.ToString(),
            });
            Emit();
        }

        foreach (var t in TeqsaProviders)
        {
            line.Append(t with { Courses = [] }).AppendJoin(';', t.Courses);
            Emit();
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }

    private static string Format(DateTimeOffset value) => value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    /// <summary>The successor's code: the same stem with the clock's two-digit year (qualifications), or a new suffix.</summary>
    private string NextCode(TrainingComponent old)
    {
        var year = (Clock.Year % 100).ToString("00", CultureInfo.InvariantCulture);
        var candidate = old.Kind == ComponentKind.Qualification && old.Code.Length == 8 ? old.Code[..6] + year : old.Code + "X";
        for (var n = 2; FindComponent(candidate) is not null; n++)
        {
            candidate = old.Code + "X" + n.ToString(CultureInfo.InvariantCulture);
        }

        return candidate;
    }
}
