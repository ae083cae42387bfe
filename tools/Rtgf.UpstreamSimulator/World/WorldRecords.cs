using System.Globalization;
using Rtgf.Ingestion.Records;
using Rtgf.UpstreamSimulator.Tga;

namespace Rtgf.UpstreamSimulator.World;

/// <summary>
/// A world's TGA records as the TGA connector normalises them, without the round trip through the services: what the
/// national-scale register tests and the benchmarks snapshot (one converter, so both read the same world the same way).
/// </summary>
internal static class WorldRecords
{
    /// <summary>
    /// RTOs (TGA's status label, e.g. <c>Non-current</c>, and the address as a location, so the register has their state),
    /// scope rows, and components with their releases as the REST service lists them and their classifications as the SOAP
    /// GetDetails lists them; deleted ones as tombstones.
    /// </summary>
    public static IEnumerable<ISnapshotRecord> Tga(SimulatedWorld world)
    {
        foreach (var rto in world.Rtos)
        {
            if (rto.Deleted is { } deleted)
            {
                yield return new TombstoneRecord("rto:" + rto.Code, "delete", deleted);
                continue;
            }

            yield return new RtoRecord(rto.Code, rto.LegalName, rto.Abn, [rto.TradingName], OrganisationSoapService.StatusLabel(rto.Status), rto.RegistrationManager,
                rto.RegistrationStart, rto.RegistrationEnd, rto.Updated)
            {
                Locations = [new RtoAddress("AU", rto.Address.Line1, null, rto.Address.Postcode, rto.Address.State, rto.Address.Suburb)],
            };
            for (var i = rto.ScopeStart; i < rto.ScopeStart + rto.ScopeCount; i++)
            {
                var row = world.Scope[i];
                var component = world.Components[row.Component];
                yield return new ScopeRecord(rto.Code, component.Code, [component.Kind.ToString()], "0" + row.Extent.ToString(CultureInfo.InvariantCulture),
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

            // The latest release on LatestReleaseDate, earlier ones a year apart.
            var releases = Enumerable.Range(1, c.ReleaseCount)
                .Select(n => new ReleaseRecord(n.ToString(CultureInfo.InvariantCulture), c.LatestReleaseDate.AddYears(n - c.ReleaseCount),
                    n == c.ReleaseCount ? c.Usage.ToString() : "Superseded", []))
                .ToList();
            yield return new TrainingComponentRecord(
                c.Code, [c.Kind.ToString()], c.Title, c.Usage.ToString(), c.Usage.ToString(), releases,
                c.Supersedes is null ? [] : [c.Supersedes], c.SupersededBy is null ? [] : [c.SupersededBy],
                [new UsageRecommendationRecord(c.Usage.ToString(), c.UsageSince, null)], c.PackageCode, c.Updated)
            {
                Classifications = Classifications(c),
            };
        }
    }

    /// <summary>As the simulator's GetDetails lists them: the ANZSCO occupation (scheme 01) and the qualification level (05), purpose 1.</summary>
    private static List<ClassificationRecord> Classifications(TrainingComponent c)
    {
        var list = new List<ClassificationRecord>(2);
        if (c.Anzsco is { } occupation)
        {
            list.Add(new ClassificationRecord(ClassificationRecord.AnzscoScheme, occupation, "1"));
        }

        if (c.QualificationLevel is { } level)
        {
            list.Add(new ClassificationRecord("05", level, "1"));
        }

        return list;
    }
}
