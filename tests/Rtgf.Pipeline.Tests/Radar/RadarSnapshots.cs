using System.Text.Json;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;
using Rtgf.Pipeline.Ingest;

namespace Rtgf.Pipeline.Tests.Radar;

/// <summary>A tender snapshot's <c>contract:{contractId}</c> record with exactly the members of the seam's contract.</summary>
/// <paramref name="OmitAmendments"/> leaves the optional <c>amendments</c> member out (a record the radar must still read).
internal sealed record TestContract(string ContractId, string ReleaseId, string Title, IReadOnlyList<string> RtoCodes, IReadOnlyList<string>? AmendmentIds = null, bool OmitAmendments = false) : ISnapshotRecord
{
    public string Key => "contract:" + ContractId;

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        if (!OmitAmendments)
        {
            writer.WriteStartArray("amendments");
            foreach (var id in AmendmentIds ?? [])
            {
                writer.WriteStartObject();
                writer.WriteString("date", "2026-02-01");
                writer.WriteString("id", id);
                writer.WriteString("releaseId", ReleaseId);
                writer.WriteEndObject();
            }

            writer.WriteEndArray();
        }

        writer.WriteStartObject("buyer");
        writer.WriteString("abn", "12345678901");
        writer.WriteString("name", "Department of Employment and Workplace Relations");
        writer.WriteEndObject();
        Strings(writer, "categories", ["86101700"]);
        writer.WriteString("contractId", ContractId);
        writer.WriteString("currency", "AUD");
        writer.WriteString("dateSigned", "2026-01-15");
        writer.WriteString("description", "Delivery of foundation skills training");
        writer.WriteString("endDate", "2027-01-14");
        writer.WriteString("lastModified", "2026-01-16T00:00:00Z");
        writer.WriteString("ocid", "ocds-dhfprg-" + ContractId);
        writer.WriteString("procurementMethod", "limited");
        writer.WriteString("releaseId", ReleaseId);
        Strings(writer, "rtoCodes", RtoCodes);
        writer.WriteString("startDate", "2026-01-15");
        writer.WriteStartArray("suppliers");
        writer.WriteStartObject();
        writer.WriteString("abn", "98765432109");
        writer.WriteString("name", "Example Training Pty Ltd");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteString("title", Title);
        writer.WriteString("value", "125000.5");
        writer.WriteEndObject();
    }

    internal static void Strings(Utf8JsonWriter writer, string name, IEnumerable<string> values)
    {
        writer.WriteStartArray(name);
        foreach (var value in values.Order(StringComparer.Ordinal))
        {
            writer.WriteStringValue(value);
        }

        writer.WriteEndArray();
    }
}

/// <summary>A tender snapshot's <c>tender:{atmId}</c> record (an approach to market).</summary>
internal sealed record TestTender(string AtmId, string Title, IReadOnlyList<string> Categories, string CloseDate = "2026-04-30") : ISnapshotRecord
{
    public string Key => "tender:" + AtmId;

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("agency", "Department of Employment and Workplace Relations");
        TestContract.Strings(writer, "categories", Categories);
        writer.WriteString("atmId", AtmId);
        writer.WriteString("closeDate", CloseDate);
        writer.WriteString("description", "Approach to market");
        writer.WriteString("publishedDate", "2026-03-01");
        writer.WriteString("title", Title);
        writer.WriteString("url", "https://www.tenders.gov.au/Atm/Show/" + AtmId);
        writer.WriteEndObject();
    }
}

/// <summary>A magda snapshot's <c>dataset:{id}</c> record; resources are (id, name, fingerprint).</summary>
internal sealed record TestDataset(string Id, string Title, IReadOnlyList<(string Id, string Name, string Fingerprint)> Resources, string Modified = "2026-03-01T00:00:00Z") : ISnapshotRecord
{
    public string Key => "dataset:" + Id;

    public void WriteJson(Utf8JsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("id", Id);
        writer.WriteString("license", "CC-BY-4.0");
        writer.WriteString("metadataModified", Modified);
        writer.WriteString("name", Id);
        writer.WriteString("organisation", "NCVER");
        writer.WriteStartArray("resources");
        foreach (var r in Resources.OrderBy(r => r.Id, StringComparer.Ordinal))
        {
            writer.WriteStartObject();
            writer.WriteString("fingerprint", r.Fingerprint);
            writer.WriteString("format", "CSV");
            writer.WriteString("hash", (string?)null);
            writer.WriteString("id", r.Id);
            writer.WriteString("lastModified", Modified);
            writer.WriteString("name", r.Name);
            writer.WriteNull("size");
            writer.WriteString("url", "https://data.gov.au/data/" + r.Id + ".csv");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteString("title", Title);
        writer.WriteString("watch", "search:vet");
        writer.WriteEndObject();
    }
}

/// <summary>A small TGA world: RTOs, components and scope, cut into snapshots with the real records and builder.</summary>
internal sealed class TgaWorld
{
    public Dictionary<string, RtoRecord> Rtos { get; } = new(StringComparer.Ordinal);

    public Dictionary<string, TrainingComponentRecord> Components { get; } = new(StringComparer.Ordinal);

    public SortedSet<(string Rto, string Component)> Scope { get; } = [];

    public static TgaWorld Sample()
    {
        var world = new TgaWorld();
        world.AddRto("90001", "Current");
        world.AddRto("90002", "Current");
        world.AddRto("90003", "Current");
        foreach (var code in new[] { "BSBWHS411", "BSBWHS521", "CHCCCS015", "TAEASS412" })
        {
            world.Components[code] = Component(code, "Current", []);
        }

        world.Scope.Add(("90001", "BSBWHS411"));
        world.Scope.Add(("90001", "CHCCCS015"));
        world.Scope.Add(("90002", "BSBWHS411"));
        world.Scope.Add(("90003", "TAEASS412"));
        return world;
    }

    public void AddRto(string code, string status) =>
        Rtos[code] = new RtoRecord(code, "Provider " + code, "1100000" + code, ["Trading " + code], status, "ASQA", new DateOnly(2020, 1, 1), new DateOnly(2027, 1, 1), null);

    public void Supersede(string code, string by) => Components[code] = Component(code, "Superseded", [by]);

    public static TrainingComponentRecord Component(string code, string status, IReadOnlyList<string> supersededBy) =>
        new(code, ["Unit"], "Title of " + code, status, "Current", [new ReleaseRecord("1", new DateOnly(2020, 1, 1), "Current", [])], [], supersededBy, [], null, null);

    public IEnumerable<ISnapshotRecord> Records() =>
        Rtos.Values.Cast<ISnapshotRecord>()
            .Concat(Components.Values)
            .Concat(Scope.Select(s => new ScopeRecord(s.Rto, s.Component, ["Unit"], null, false, false, null, new DateOnly(2021, 1, 1), null)));
}

internal static class RadarSnapshots
{
    private static int _runs;

    public static Snapshot Build(string source, IEnumerable<ISnapshotRecord> records) =>
        SnapshotBuilder.Build(source, $"{source}-run-{Interlocked.Increment(ref _runs)}", new DateTimeOffset(2026, 3, 1, 0, 0, 0, TimeSpan.Zero), [], records);

    public static Snapshot Tga(TgaWorld world) => Build(IngestSources.Tga, world.Records());
}
