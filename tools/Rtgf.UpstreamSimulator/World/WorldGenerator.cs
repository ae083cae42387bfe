using System.Globalization;

namespace Rtgf.UpstreamSimulator.World;

/// <summary>
/// Builds a world from a seed and a clock, nothing else: the same inputs give the same bytes on every machine.
/// Each part draws from its own forked generator so sizes of one part do not reshuffle another.
/// </summary>
internal static class WorldGenerator
{
    /// <summary>The seed of the fixed <c>small</c> sample.</summary>
    public const ulong SmallSeed = 20250701;

    public static SimulatedWorld Small(DateTimeOffset clock) => Generate("small", SmallSeed, WorldSizes.Small, clock);

    public static SimulatedWorld National(ulong seed, DateTimeOffset clock) => Generate("national", seed, WorldSizes.National, clock);

    public static SimulatedWorld Generate(string corpus, ulong seed, WorldSizes sizes, DateTimeOffset clock)
    {
        clock = clock.ToUniversalTime();
        var root = new SplitMix64(seed);
        var components = Components(root.Fork(1), sizes, clock);
        var rtos = new List<Rto>(sizes.Rtos + sizes.DeletedRtos);
        var scope = ScopeAndRtos(root.Fork(2), sizes, clock, components, rtos);
        var cricos = root.Fork(3);
        var providers = CricosProviders(cricos, sizes.CricosProviders);
        var locations = CricosLocations(cricos, providers);
        var courses = CricosCourses(cricos, providers, locations, components);
        var occupations = Occupations(root.Fork(6), sizes.Occupations);
        LinkQualifications(components, occupations);
        return new SimulatedWorld(
            corpus,
            seed,
            clock,
            rtos,
            components,
            scope,
            providers,
            courses,
            locations,
            Teqsa(root.Fork(4), sizes.TeqsaProviders, clock),
            Sanctions(root.Fork(5), sizes.SanctionsParties, clock))
        {
            Occupations = occupations,
            OslYear = clock.Month >= 10 ? clock.Year : clock.Year - 1, // the list comes out around October
            IviMonth = new DateOnly(clock.Year, clock.Month, 1).AddMonths(-1), // published mid-month for the month before
        };
    }

    private static readonly string[] RoleWords = ["Manager", "Technician", "Worker", "Officer", "Tradesperson", "Specialist", "Assistant", "Consultant", "Operator", "Coordinator"];

    /// <summary>
    /// Occupations in unit groups of one to three, spread over the eight major groups; ratings drawn so about a third
    /// of ratings are a shortage of some kind. The national rating is the most common state rating (S on a tie).
    /// </summary>
    private static List<Occupation> Occupations(SplitMix64 rng, int count)
    {
        var list = new List<Occupation>(count);
        var unit = 0;
        while (list.Count < count)
        {
            var major = 1 + (unit % 8);
            var group = major.ToString(CultureInfo.InvariantCulture) + (111 + (unit / 8)).ToString("000", CultureInfo.InvariantCulture);
            var inGroup = 1 + rng.Next(3);
            for (var j = 0; j < inGroup && list.Count < count; j++)
            {
                var states = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (var state in StateColumns)
                {
                    var roll = rng.Next(100);
                    states[state] = roll < 25 ? "S" : roll < 35 ? "R" : roll < 40 ? "M" : "NS";
                }

                var national = states.Values.GroupBy(v => v, StringComparer.Ordinal)
                    .OrderByDescending(g => g.Count()).ThenByDescending(g => g.Key == "S").ThenBy(g => g.Key, StringComparer.Ordinal)
                    .First().Key;
                list.Add(new Occupation
                {
                    Code = group + (11 + j).ToString("00", CultureInfo.InvariantCulture),
                    Title = Vocabulary.Fields[(unit + j) % Vocabulary.Fields.Length] + " " + RoleWords[(unit * 3 + j) % RoleWords.Length],
                    SkillLevel = Math.Min(5, 1 + ((major + j) % 5)),
                    National = national,
                    States = states,
                });
            }

            unit++;
        }

        return list;
    }

    /// <summary>The OSL's state columns, in its order.</summary>
    internal static readonly string[] StateColumns = ["NSW", "VIC", "QLD", "SA", "WA", "TAS", "NT", "ACT"];

    /// <summary>Each qualification leads to one occupation, picked by a hash of its code (no draw, so other parts keep their bytes).</summary>
    private static void LinkQualifications(List<TrainingComponent> components, List<Occupation> occupations)
    {
        if (occupations.Count == 0)
        {
            return;
        }

        foreach (var component in components.Where(c => c.Kind == ComponentKind.Qualification))
        {
            var hash = 2166136261u;
            foreach (var c in component.Code[..^2]) // without the year: a superseded qualification and its successor lead to the same occupation
            {
                hash = (hash ^ c) * 16777619u;
            }

            component.Anzsco = occupations[(int)(hash % (uint)occupations.Count)].Code;
        }
    }

    private static List<TrainingComponent> Components(SplitMix64 rng, WorldSizes sizes, DateTimeOffset clock)
    {
        var list = new List<TrainingComponent>(sizes.CurrentComponents * 11 / 10);
        var packages = Vocabulary.Packages;
        for (var i = 0; i < sizes.Qualifications; i++)
        {
            var level = (i / packages.Length) % 6;
            var seq = (i / (packages.Length * 6)) + 1;
            var year = rng.Next(16, 25);
            var stem = packages[i % packages.Length] + (level + 1).ToString(CultureInfo.InvariantCulture) + seq.ToString("00", CultureInfo.InvariantCulture);
            var title = Vocabulary.LevelNames[level] + " in " + Vocabulary.Fields[(i + seq) % Vocabulary.Fields.Length];
            AddWithHistory(list, rng, clock, sizes, i, stem + Year(year), stem + Year(year - 5), title, ComponentKind.Qualification, Vocabulary.LevelCodes[level]);
        }

        for (var i = 0; i < sizes.SkillSets; i++)
        {
            var pkg = packages[i % packages.Length];
            var title = rng.Pick(Vocabulary.Fields) + " - " + rng.Pick(Vocabulary.Objects) + " Skill Set";
            Add(list, rng, clock, pkg + "SS" + (i + 1).ToString("00000", CultureInfo.InvariantCulture), title, ComponentKind.SkillSet, null, pkg);
        }

        for (var i = 0; i < sizes.Units; i++)
        {
            var pkg = packages[i % packages.Length];
            var domain = Vocabulary.Domains[(i / packages.Length) % Vocabulary.Domains.Length];
            var number = 100 + (i / (packages.Length * Vocabulary.Domains.Length));
            var code = pkg + domain + number.ToString(CultureInfo.InvariantCulture);
            var title = rng.Pick(Vocabulary.Verbs) + " " + rng.Pick(Vocabulary.Objects);
            AddWithHistory(list, rng, clock, sizes, i, code, code + "A", title, ComponentKind.Unit, null);
        }

        for (var i = 0; i < sizes.AccreditedCourses; i++)
        {
            var code = (10000 + (i * 3) + rng.Next(3)).ToString(CultureInfo.InvariantCulture) + "NAT";
            Add(list, rng, clock, code, "Course in " + rng.Pick(Vocabulary.Fields), ComponentKind.AccreditedCourse, null, "NAT");
        }

        // Some components were deleted from the register in the past: they stay listed (Usage Deleted) with a deleted date.
        for (var i = 0; i < sizes.DeletedComponents; i++)
        {
            var victim = list[(int)((ulong)i * 7919 % (ulong)list.Count)];
            if (victim.Usage == UsageState.Current && victim.SupersededBy is null && victim.Supersedes is null)
            {
                victim.Usage = UsageState.Deleted;
                victim.Deleted = victim.Updated;
                victim.UsageSince = DateOnly.FromDateTime(victim.Updated.UtcDateTime);
            }
        }

        return list;
    }

    private static string Year(int year) => year.ToString("00", CultureInfo.InvariantCulture);

    private static void AddWithHistory(
        List<TrainingComponent> list, SplitMix64 rng, DateTimeOffset clock, WorldSizes sizes, int i, string code, string oldCode, string title, ComponentKind kind, string? level)
    {
        var current = Add(list, rng, clock, code, title, kind, level, code[..3]);
        if (i % sizes.SupersededEvery != 0)
        {
            return;
        }

        var old = Add(list, rng, clock, oldCode, title, kind, level, code[..3]);
        var since = current.Created;
        old.Usage = UsageState.Superseded;
        old.SupersededBy = current.Code;
        old.IsEquivalent = rng.Chance(60);
        old.UsageSince = DateOnly.FromDateTime(since.UtcDateTime);
        old.Updated = since > old.Updated ? since : old.Updated;
        current.Supersedes = old.Code;
        current.IsEquivalent = old.IsEquivalent;
    }

    private static TrainingComponent Add(List<TrainingComponent> list, SplitMix64 rng, DateTimeOffset clock, string code, string title, ComponentKind kind, string? level, string package)
    {
        var created = clock.AddDays(-rng.Next(365, 3650)).AddSeconds(-rng.Next(86_400));
        var span = (long)(clock - created).TotalSeconds - 3600;
        var updated = created.AddSeconds(rng.Next((int)Math.Min(span, int.MaxValue - 1)));
        var releases = 1 + rng.Next(3);
        var component = new TrainingComponent
        {
            Code = code,
            Title = title,
            Kind = kind,
            PackageCode = package,
            QualificationLevel = level,
            Created = created,
            Updated = updated,
            Usage = UsageState.Current,
            UsageSince = DateOnly.FromDateTime(created.UtcDateTime),
            ReleaseCount = releases,
            LatestReleaseDate = DateOnly.FromDateTime(releases == 1 ? created.UtcDateTime : updated.UtcDateTime),
        };
        list.Add(component);
        return component;
    }

    private static ScopeRow[] ScopeAndRtos(SplitMix64 rng, WorldSizes sizes, DateTimeOffset clock, List<TrainingComponent> components, List<Rto> rtos)
    {
        var scope = new ScopeRow[sizes.ScopeRows];
        var eligible = new List<int>(components.Count);
        for (var i = 0; i < components.Count; i++)
        {
            if (components[i].Usage != UsageState.Deleted)
            {
                eligible.Add(i);
            }
        }

        var today = DateOnly.FromDateTime(clock.UtcDateTime);
        var perRto = sizes.ScopeRows / sizes.Rtos;
        var next = 0;
        var total = sizes.Rtos + sizes.DeletedRtos;
        var swing = 0;
        for (var i = 0; i < total; i++)
        {
            var live = i < sizes.Rtos;
            int count;
            if (!live)
            {
                count = 0;
            }
            else if (i == sizes.Rtos - 1)
            {
                count = sizes.ScopeRows - next;
            }
            else if (i % 2 == 0)
            {
                swing = rng.Next(Math.Max(1, perRto * 4 / 5));
                count = perRto + swing;
            }
            else
            {
                count = perRto - swing;
            }

            var rto = NewRto(rng, i, clock, next, count);
            rtos.Add(rto);
            if (!live)
            {
                rto.Status = RtoStatus.NonCurrent;
                rto.Deleted = rto.Updated;
                continue;
            }

            // A stride coprime with the pool visits distinct components without a set.
            var start = rng.Next(eligible.Count);
            var stride = 1 + rng.Next(eligible.Count - 1);
            while (Gcd(stride, eligible.Count) != 1)
            {
                stride++;
            }

            for (var k = 0; k < count; k++)
            {
                var component = eligible[(int)((start + ((long)k * stride)) % eligible.Count)];
                var from = rto.RegistrationStart.AddDays(rng.Next(Math.Max(1, today.DayNumber - rto.RegistrationStart.DayNumber)));
                DateOnly? end = rto.Status != RtoStatus.Current ? rto.RegistrationEnd : rng.Chance(4) ? from.AddDays(1 + rng.Next(Math.Max(1, today.DayNumber - from.DayNumber))) : null;
                var extent = (byte)(rng.Chance(90) ? 1 : 2 + rng.Next(2));
                scope[next++] = new ScopeRow(i, component, extent, from, end > today ? today : end);
            }

            // The organisation was last modified no earlier than its latest scope or registration event.
            var latest = rto.RegistrationStart;
            for (var k = next - count; k < next; k++)
            {
                var row = scope[k];
                latest = row.End is { } e && e > latest ? e : row.Start > latest ? row.Start : latest;
            }

            var touched = new DateTimeOffset(latest.ToDateTime(TimeOnly.MinValue), TimeSpan.Zero).AddSeconds(rng.Next(86_400));
            touched = touched < clock ? touched : clock.AddSeconds(-1 - rng.Next(3600));
            rto.Updated = touched > rto.Updated ? touched : rto.Updated;
        }

        return scope;
    }

    private static int Gcd(int a, int b) => b == 0 ? a : Gcd(b, a % b);

    private static Rto NewRto(SplitMix64 rng, int i, DateTimeOffset clock, int scopeStart, int scopeCount)
    {
        var place = rng.Pick(Vocabulary.Places);
        var first = rng.Pick(Vocabulary.NameFirst);
        var second = rng.Pick(Vocabulary.NameSecond);
        var code = (10000 + (i * 20) + rng.Next(20)).ToString(CultureInfo.InvariantCulture);
        var manager = place.State switch
        {
            "VIC" when rng.Chance(25) => "VRQA",
            "WA" when rng.Chance(25) => "TAC",
            _ => "ASQA",
        };
        var created = clock.AddDays(-rng.Next(400, 9000)).AddSeconds(-rng.Next(86_400));
        var updated = created.AddSeconds(rng.Next((int)Math.Min((long)(clock - created).TotalSeconds - 3600, int.MaxValue - 1)));
        var regStart = DateOnly.FromDateTime(clock.UtcDateTime).AddDays(-rng.Next(30, 2500));
        var roll = rng.Next(100);
        var status = roll < 85 ? RtoStatus.Current : roll < 95 ? RtoStatus.NonCurrent : RtoStatus.Cancelled;
        var regEnd = status == RtoStatus.Current
            ? regStart.AddYears(7)
            : regStart.AddDays(rng.Next(1, Math.Max(2, DateOnly.FromDateTime(clock.UtcDateTime).DayNumber - regStart.DayNumber)));
        var given = rng.Pick(Vocabulary.GivenNames);
        var family = rng.Pick(Vocabulary.FamilyNames);
        var domain = (first + second).ToLowerInvariant() + code;
        return new Rto
        {
            Code = code,
            LegalName = first + " " + second + " Pty Ltd",
            TradingName = first + " " + second + " " + (rng.Chance(50) ? "College" : "Institute"),
            Abn = Abn(rng),
            Acn = rng.Next(100_000_000, 999_999_999).ToString(CultureInfo.InvariantCulture),
            Status = status,
            RegistrationManager = manager,
            RegistrationStart = regStart,
            RegistrationEnd = regEnd,
            EndReason = status switch { RtoStatus.Cancelled => "Cancelled", RtoStatus.NonCurrent => "Expired", _ => null },
            Address = place with { Line1 = (1 + rng.Next(300)).ToString(CultureInfo.InvariantCulture) + place.Line1[place.Line1.IndexOf(' ', StringComparison.Ordinal)..] },
            ContactFirstName = given,
            ContactLastName = family,
            Phone = "0" + (2 + rng.Next(7)).ToString(CultureInfo.InvariantCulture) + " " + rng.Next(1000, 9999).ToString(CultureInfo.InvariantCulture) + " " + rng.Next(1000, 9999).ToString(CultureInfo.InvariantCulture),
            Email = given.ToLowerInvariant() + "." + family.ToLowerInvariant() + "@" + domain + ".example.edu.au",
            Website = "https://www." + domain + ".example.edu.au",
            Created = created,
            Updated = updated,
            ScopeStart = scopeStart,
            ScopeCount = scopeCount,
        };
    }

    /// <summary>An 11-digit ABN that passes the ATO checksum (weights 10,1,3,…,19 over the digits with the first less one, mod 89).</summary>
    internal static string Abn(SplitMix64 rng)
    {
        ReadOnlySpan<int> weights = [10, 1, 3, 5, 7, 9, 11, 13, 15, 17, 19];
        Span<int> digits = stackalloc int[11];
        while (true)
        {
            var tail = 0;
            for (var k = 2; k < 11; k++)
            {
                digits[k] = rng.Next(10);
                tail += digits[k] * weights[k];
            }

            for (var prefix = 10; prefix <= 99; prefix++)
            {
                var sum = tail + (((prefix / 10) - 1) * weights[0]) + (prefix % 10 * weights[1]);
                if (sum % 89 == 0)
                {
                    digits[0] = prefix / 10;
                    digits[1] = prefix % 10;
                    return string.Concat(digits.ToArray().Select(d => (char)('0' + d)));
                }
            }
        }
    }

    private static List<CricosProvider> CricosProviders(SplitMix64 rng, int count)
    {
        var list = new List<CricosProvider>(count);
        for (var i = 0; i < count; i++)
        {
            var name = rng.Pick(Vocabulary.NameFirst) + " " + rng.Pick(Vocabulary.NameSecond);
            var code = (100 + (i * 50) + rng.Next(50)).ToString("00000", CultureInfo.InvariantCulture) + (char)('A' + rng.Next(26));
            list.Add(new CricosProvider(
                code,
                name + " International",
                name + " Pty Ltd",
                rng.Chance(20) ? "Government" : "Private",
                50 + rng.Next(2000),
                "https://www." + name.Replace(" ", string.Empty, StringComparison.Ordinal).ToLowerInvariant() + code.ToLowerInvariant() + ".example.edu.au",
                rng.Pick(Vocabulary.Places)));
        }

        return list;
    }

    private static List<CricosLocation> CricosLocations(SplitMix64 rng, List<CricosProvider> providers)
    {
        var list = new List<CricosLocation>();
        foreach (var provider in providers)
        {
            var n = 1 + rng.Next(3);
            for (var k = 0; k < n; k++)
            {
                var place = k == 0 ? provider.PostalAddress : rng.Pick(Vocabulary.Places);
                list.Add(new CricosLocation(provider.Code, place.Suburb + " Campus " + (k + 1).ToString(CultureInfo.InvariantCulture), k == 0 ? "Head Office" : "Teaching Location", place));
            }
        }

        return list;
    }

    private static List<CricosCourse> CricosCourses(SplitMix64 rng, List<CricosProvider> providers, List<CricosLocation> locations, List<TrainingComponent> components)
    {
        var qualifications = components.Where(c => c.Kind == ComponentKind.Qualification && c.Usage == UsageState.Current).ToList();
        var list = new List<CricosCourse>();
        var byProvider = locations.GroupBy(l => l.ProviderCode, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var serial = 0;
        foreach (var provider in providers)
        {
            var n = 2 + rng.Next(20);
            for (var k = 0; k < n; k++)
            {
                var vet = rng.Chance(70) && qualifications.Count > 0 ? rng.Pick(qualifications) : null;
                var name = vet?.Title ?? "Bachelor of " + rng.Pick(Vocabulary.Fields);
                var level = vet is null ? "Bachelor Degree" : vet.Title[..vet.Title.IndexOf(" in ", StringComparison.Ordinal)];
                var code = (100_000 + (serial++ * 7) + rng.Next(7)).ToString(CultureInfo.InvariantCulture) + (char)('A' + rng.Next(26));
                var tuition = 5_000 + (rng.Next(80) * 500);
                list.Add(new CricosCourse(
                    provider.Code,
                    code,
                    name,
                    vet?.Code ?? string.Empty,
                    level,
                    "08 - Management and Commerce",
                    "0803 - Business and Management",
                    "080301 - Business Management",
                    26 + rng.Next(130),
                    tuition,
                    rng.Next(3) * 500,
                    rng.Chance(5),
                    rng.Pick(byProvider[provider.Code]).Name));
            }
        }

        return list;
    }

    private static List<TeqsaProvider> Teqsa(SplitMix64 rng, int count, DateTimeOffset clock)
    {
        string[] categories = ["Australian University", "Institute of Higher Education", "University College"];
        var list = new List<TeqsaProvider>(count);
        var today = DateOnly.FromDateTime(clock.UtcDateTime);
        for (var i = 0; i < count; i++)
        {
            var category = categories[i % 7 == 0 ? 0 : i % 11 == 0 ? 2 : 1];
            var stem = rng.Pick(Vocabulary.NameFirst) + " " + rng.Pick(Vocabulary.NameSecond);
            var name = category == "Australian University" ? stem + " University" : stem + " Institute of Higher Education Pty Ltd";
            var id = "PRV" + (12000 + (i * 10) + rng.Next(10)).ToString(CultureInfo.InvariantCulture);
            var slug = (stem + "-" + id).ToLowerInvariant().Replace(' ', '-');
            var selfAccrediting = category == "Australian University" ? "Full" : rng.Chance(10) ? "Partial" : "None";
            var courses = new List<TeqsaCourse>();
            if (selfAccrediting != "Full")
            {
                for (var k = 0; k < 1 + rng.Next(5); k++)
                {
                    courses.Add(new TeqsaCourse(
                        "CRS" + (1_200_000 + (i * 100) + k).ToString("0000000", CultureInfo.InvariantCulture),
                        (k % 2 == 0 ? "Bachelor of " : "Master of ") + rng.Pick(Vocabulary.Fields),
                        rng.Chance(85) ? "Accredited" : "Accreditation ongoing pending renewal",
                        today.AddDays(rng.Next(30, 2500))));
                }
            }

            list.Add(new TeqsaProvider(
                id,
                slug,
                name,
                Abn(rng),
                stem,
                category,
                selfAccrediting,
                rng.Chance(90) ? "Registered" : "Registration ongoing pending renewal",
                today.AddDays(rng.Next(30, 2500)),
                "https://www." + slug + ".example.edu.au",
                rng.Pick(Vocabulary.Places),
                courses));
        }

        return list;
    }

    private static List<SanctionsParty> Sanctions(SplitMix64 rng, int count, DateTimeOffset clock)
    {
        var list = new List<SanctionsParty>(count);
        var today = DateOnly.FromDateTime(clock.UtcDateTime);
        for (var i = 0; i < count; i++)
        {
            var individual = rng.Chance(70);
            string name;
            var aliases = new List<string>();
            string dob;
            if (individual)
            {
                var given = rng.Pick(Vocabulary.ListedGiven);
                var family = rng.Pick(Vocabulary.ListedFamily);
                name = family.ToUpperInvariant() + ", " + given;
                for (var k = rng.Next(3); k > 0; k--)
                {
                    aliases.Add(rng.Pick(Vocabulary.ListedFamily).ToUpperInvariant() + ", " + given);
                }

                var year = (1940 + rng.Next(50)).ToString(CultureInfo.InvariantCulture);
                dob = rng.Next(4) switch
                {
                    0 => year,
                    1 => "circa " + year,
                    2 => new DateOnly(1940 + rng.Next(50), 1 + rng.Next(12), 1 + rng.Next(28)).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture) + ";" +
                         new DateOnly(1940 + rng.Next(50), 1 + rng.Next(12), 1 + rng.Next(28)).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
                    _ => new DateOnly(1940 + rng.Next(50), 1 + rng.Next(12), 1 + rng.Next(28)).ToString("dd/MM/yyyy", CultureInfo.InvariantCulture),
                };
            }
            else
            {
                name = (rng.Pick(Vocabulary.ListedFamily) + " " + rng.Pick(Vocabulary.ListedEntityWords) + " Company").ToUpperInvariant();
                if (rng.Chance(50))
                {
                    aliases.Add((rng.Pick(Vocabulary.ListedFamily) + " " + rng.Pick(Vocabulary.ListedEntityWords)).ToUpperInvariant());
                }

                dob = string.Empty;
            }

            var listed = today.AddDays(-rng.Next(30, 7000));
            list.Add(new SanctionsParty(
                i + 1,
                name,
                individual ? "Individual" : "Entity",
                aliases,
                dob,
                individual ? "Exampletown, Exampleland" : string.Empty,
                individual ? "Examplelandian" : string.Empty,
                individual ? string.Empty : rng.Pick(Vocabulary.Places).Suburb + ", Exampleland",
                individual ? "Passport no: X" + rng.Next(1_000_000, 9_999_999).ToString(CultureInfo.InvariantCulture) : string.Empty,
                "Listed on " + listed.ToString("d MMM yyyy", CultureInfo.InvariantCulture),
                rng.Pick(Vocabulary.Committees),
                listed.AddDays(rng.Next(0, Math.Max(1, today.DayNumber - listed.DayNumber))),
                "Autonomous Sanctions (Designated Persons and Entities) Instrument " + listed.Year.ToString(CultureInfo.InvariantCulture),
                rng.Chance(95),
                individual && rng.Chance(90)));
        }

        return list;
    }
}
