using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.Benchmarks.Compiler;

/// <summary>
/// The upstream simulator's seeded national world (4,000 RTOs, 25,000 current components, 500,000 scope rows, CRICOS,
/// TEQSA, DFAT) mapped to the ingestion record types the way the connectors normalise them, cut into snapshots.
/// </summary>
internal static class NationalCorpus
{
    public static IReadOnlyList<Snapshot> Build(ulong seed, DateTimeOffset clock) => Build(WorldGenerator.National(seed, clock), clock);

    /// <summary>The snapshots of a given world (one a scenario may have changed), TGA and TEQSA fetched at <paramref name="clock"/>.</summary>
    public static IReadOnlyList<Snapshot> Build(SimulatedWorld world, DateTimeOffset clock)
    {
        return
        [
            Snapshot("tga", clock, Tga(world)),
            Snapshot("cricos", world.CricosUpdated, Cricos(world)),
            Snapshot("teqsa", clock, world.TeqsaProviders.Select(p => (ISnapshotRecord)new TeqsaProviderRecord(
                p.ProviderId, p.Name, p.Abn, p.Category, p.SelfAccrediting, p.Status, p.RegistrationExpiry, p.Website,
                [.. p.Courses.Select(c => new TeqsaCourseRecord(c.Title, c.Status, c.RenewalDate))]))),
            Snapshot("sanctions", world.SanctionsUpdated, world.Sanctions.Select(s => (ISnapshotRecord)new SanctionsListingRecord(
                s.Reference.ToString(System.Globalization.CultureInfo.InvariantCulture), s.Name, s.Type, s.Aliases, s.DateOfBirth, s.PlaceOfBirth,
                s.Citizenship, s.ListingInformation, s.Committees, s.ControlDate, s.Instrument))),
        ];
    }

    private static Snapshot Snapshot(string source, DateTimeOffset fetchedAt, IEnumerable<ISnapshotRecord> records) =>
        SnapshotBuilder.Build(source, "bench-national", fetchedAt, [new SnapshotProvenance($"https://{source}.invalid/", "national-corpus", ServerTime: fetchedAt)], records);

    private static IEnumerable<ISnapshotRecord> Tga(SimulatedWorld world)
    {
        foreach (var rto in world.Rtos)
        {
            if (rto.Deleted is { } deleted)
            {
                yield return new TombstoneRecord("rto:" + rto.Code, "delete", deleted);
                continue;
            }

            // TGA's status label ("Non-current", not the enum's name) and the address as a location (the register's states come from locations).
            yield return new RtoRecord(rto.Code, rto.LegalName, rto.Abn, [rto.TradingName], Rtgf.UpstreamSimulator.Tga.OrganisationSoapService.StatusLabel(rto.Status), rto.RegistrationManager,
                rto.RegistrationStart, rto.RegistrationEnd, rto.Updated)
            {
                Locations = [new RtoAddress("AU", rto.Address.Line1, null, rto.Address.Postcode, rto.Address.State, rto.Address.Suburb)],
            };
            for (var i = rto.ScopeStart; i < rto.ScopeStart + rto.ScopeCount; i++)
            {
                var row = world.Scope[i];
                var component = world.Components[row.Component];
                yield return new ScopeRecord(rto.Code, component.Code, [component.Kind.ToString()], "0" + row.Extent.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    false, false, null, row.Start, row.End);
            }
        }

        foreach (var c in world.Components)
        {
            if (c.Deleted is { } deleted)
            {
                yield return new TombstoneRecord("component:" + c.Code, "delete", deleted);
                continue;
            }

            // Releases as the REST service lists them: the latest on LatestReleaseDate, earlier ones a year apart.
            var releases = Enumerable.Range(1, c.ReleaseCount)
                .Select(n => new ReleaseRecord(n.ToString(System.Globalization.CultureInfo.InvariantCulture), c.LatestReleaseDate.AddYears(n - c.ReleaseCount),
                    n == c.ReleaseCount ? c.Usage.ToString() : "Superseded", []))
                .ToList();
            yield return new TrainingComponentRecord(
                c.Code, [c.Kind.ToString()], c.Title, c.Usage.ToString(), c.Usage.ToString(), releases,
                c.Supersedes is null ? [] : [c.Supersedes], c.SupersededBy is null ? [] : [c.SupersededBy],
                [new UsageRecommendationRecord(c.Usage.ToString(), c.UsageSince, null)], c.PackageCode, c.Updated);
        }
    }

    private static IEnumerable<ISnapshotRecord> Cricos(SimulatedWorld world)
    {
        foreach (var p in world.CricosProviders)
        {
            yield return new CricosProviderRecord(p.Code, p.InstitutionName, p.TradingName, p.InstitutionType, p.Capacity, p.Website,
                p.PostalAddress.Suburb, p.PostalAddress.State, p.PostalAddress.Postcode);
        }

        foreach (var l in world.CricosLocations)
        {
            yield return new CricosLocationRecord(l.ProviderCode, l.Name, l.Type, l.Address.Suburb, l.Address.State, l.Address.Postcode);
        }

        // One record per (provider, course): the source lists a course once per location.
        foreach (var group in world.CricosCourses.GroupBy(c => (c.ProviderCode, c.CourseCode)).OrderBy(g => g.Key.ProviderCode, StringComparer.Ordinal).ThenBy(g => g.Key.CourseCode, StringComparer.Ordinal))
        {
            var c = group.First();
            yield return new CricosCourseRecord(c.ProviderCode, c.CourseCode, c.Name, c.VetNationalCode, c.Level, c.DurationWeeks, c.TuitionFee, c.NonTuitionFee,
                c.TuitionFee + c.NonTuitionFee, c.Expired, [.. group.Select(x => x.LocationName).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
        }
    }
}
