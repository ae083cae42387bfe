using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Publishing;

namespace Rtgf.Register.Stats;

/// <summary>
/// Computes the statistics of a published build from the snapshots it read (<see cref="BuildCompilation.LoadInputsAsync"/>):
/// the register's counts through <see cref="RegisterStats.Count"/> (the register's own counting), the labour-market
/// aggregates through <see cref="LabourAggregates"/>. The one code path of the <c>stats-cache</c> worker and of
/// <c>/v1/stats</c> before the worker has stored a build's document. Deterministic: the same build gives the same document.
/// </summary>
public sealed class PublicationStatsCalculator(IBuildStore builds, ISnapshotStore snapshots, IRecordStore records)
{
    /// <exception cref="PublicationStatsException">The build is malformed, not stored, not published, or a snapshot it read is gone or unreadable.</exception>
    public async Task<PublicationStats> ComputeAsync(string buildId, bool stored, CancellationToken cancellationToken = default)
    {
        if (!BuildIds.IsValid(buildId))
        {
            throw new PublicationStatsException($"'{buildId}' is not a build id (sha256: and 64 lowercase hex digits).");
        }

        var build = await builds.GetAsync(buildId, cancellationToken).ConfigureAwait(false)
            ?? throw new PublicationStatsException($"Build {buildId} is not in the builds store.");
        var publication = await PublicationRecords.GetAsync(records, buildId, cancellationToken).ConfigureAwait(false)
            ?? throw new PublicationStatsException($"Build {buildId} has not been published.");
        IReadOnlyList<Snapshot> inputs;
        try
        {
            inputs = await BuildCompilation.LoadInputsAsync(snapshots, build, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is InvalidOperationException or SnapshotException)
        {
            throw new PublicationStatsException(e.Message, e);
        }

        var register = new SnapshotRecords();
        var labour = new LabourAggregates();
        var links = new List<SnapshotLink>();
        var asOf = "";
        foreach (var (input, snapshot) in build.Inputs.Zip(inputs).OrderBy(i => i.First.Source, StringComparer.Ordinal))
        {
            var link = new SnapshotLink(input.Source, input.Digest);
            links.Add(link);
            try
            {
                if (LabourAggregates.Reads(input.Source))
                {
                    labour.Read(snapshot);
                    continue;
                }

                register.Read(snapshot.Records, link);
            }
            catch (Exception e) when (e is FormatException or SnapshotException)
            {
                throw new PublicationStatsException($"Build {buildId}: {e.Message}", e);
            }

            if (input.Source == RegisterSources.Tga)
            {
                asOf = RegisterStats.AsOfDay(snapshot.Manifest.FetchedAt);
            }
        }

        var counts = RegisterStats.Count(
            build.BuildId, asOf, register.Rtos, [.. register.Scope.Select(s => s.Row)], row => RegisterStats.IsCurrent(row, asOf), register.Components,
            register.CricosProviders.Count, register.CricosCourses, register.CricosLocations.Count, register.TeqsaProviders, register.Sanctions);
        return new PublicationStats(
            build.BuildId, asOf, publication.PublishedAt, stored, links, counts.Rtos, counts.Components, counts.Cricos, counts.Teqsa, counts.SanctionsListings,
            labour.Shortages(), labour.Vacancies(), labour.Labour());
    }
}
