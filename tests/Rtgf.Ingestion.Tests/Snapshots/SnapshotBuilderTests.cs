using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Ingestion.Tests.Snapshots;

public sealed class SnapshotBuilderTests
{
    private static readonly DateTimeOffset FetchedAt = new(2025, 7, 1, 10, 0, 0, TimeSpan.FromHours(10));
    private static readonly SnapshotProvenance[] Provenance =
    [
        new("https://training.gov.au/Deewr.Tga.WebServices/OrganisationService.svc/Organisation", "SearchByModifiedDate", ServerTime: FetchedAt),
        new("https://example.invalid/cricos.zip", "cricos-zip", ETag: "\"abc\""),
    ];

    [Fact]
    public void Build_AnyInputOrder_SameBytesSortedByKey()
    {
        var records = Records();
        var first = Build(records);

        for (var seed = 1; seed <= 5; seed++)
        {
            var shuffled = records.OrderBy(r => HashCode.Combine(seed, r.Key.GetHashCode(StringComparison.Ordinal))).ToList();
            var again = SnapshotBuilder.Build("tga", "run-1", FetchedAt, Provenance.Reverse(), shuffled);
            Assert.Equal(first.Records.ToArray(), again.Records.ToArray());
            Assert.Equal(first.ManifestJson.ToArray(), again.ManifestJson.ToArray());
        }

        var keys = Encoding.UTF8.GetString(first.Records.Span).Split('\n');
        Assert.Equal(records.Count + 1, keys.Length);
        Assert.Equal("", keys[^1]);
        Assert.StartsWith("{\"abn\":\"12345678901\",\"code\":\"0001\"", keys[0], StringComparison.Ordinal);
        Assert.Equal(records.Select(r => r.Key).Order(StringComparer.Ordinal), records.OrderBy(r => r.Key, StringComparer.Ordinal).Select(r => r.Key));
    }

    [Fact]
    public async Task Build_OtherCultureAndTimeZoneOffset_SameBytes()
    {
        var expected = Build(Records());
        var previous = CultureInfo.DefaultThreadCurrentCulture;
        try
        {
            // The test host runs in globalization-invariant mode, so make a culture that differs where it matters.
            var odd = (CultureInfo)CultureInfo.InvariantCulture.Clone();
            odd.NumberFormat.NumberDecimalSeparator = ",";
            odd.NumberFormat.NegativeSign = "~";
            odd.NumberFormat.NativeDigits = ["٠", "١", "٢", "٣", "٤", "٥", "٦", "٧", "٨", "٩"];
            odd.DateTimeFormat.DateSeparator = ".";
            odd.DateTimeFormat.TimeSeparator = "-";
            odd.DateTimeFormat.ShortDatePattern = "dd.MM.yyyy";
            CultureInfo.DefaultThreadCurrentCulture = odd;
            var actual = await Task.Run(() => SnapshotBuilder.Build("tga", "run-1", FetchedAt.ToOffset(TimeSpan.FromHours(-7)), Provenance, Records()));

            Assert.Equal(expected.Records.ToArray(), actual.Records.ToArray());
            Assert.Equal(expected.ManifestJson.ToArray(), actual.ManifestJson.ToArray());
        }
        finally
        {
            CultureInfo.DefaultThreadCurrentCulture = previous;
        }
    }

    [Fact]
    public void Build_Records_ManifestStatesCountDigestAndUpstreamClock()
    {
        var snapshot = Build(Records());

        Assert.Equal(3, snapshot.Manifest.RecordCount);
        Assert.Equal("sha256:" + Convert.ToHexStringLower(SHA256.HashData(snapshot.Records.Span)), snapshot.Manifest.Digest);
        Assert.Equal(FetchedAt, snapshot.Manifest.FetchedAt);
        Assert.Equal(SnapshotManifest.CurrentCompilerInputVersion, snapshot.Manifest.CompilerInputVersion);
        var json = Encoding.UTF8.GetString(snapshot.ManifestJson.Span);
        Assert.Contains("\"fetchedAt\":\"2025-07-01T00:00:00Z\"", json, StringComparison.Ordinal);
        Assert.StartsWith("{\"compilerInputVersion\":1,\"digest\":\"sha256:", json, StringComparison.Ordinal);
        Assert.Equal(snapshot.Manifest with { Provenance = [] }, SnapshotManifest.Parse(snapshot.ManifestJson.Span) with { Provenance = [] });
        Assert.Equal(snapshot.Manifest.Provenance, SnapshotManifest.Parse(snapshot.ManifestJson.Span).Provenance);
    }

    [Fact]
    public void Build_SameKeyDifferentContent_Throws()
    {
        var records = Records();
        records.Add(Rto("0001", "Other Legal Name"));

        var error = Assert.Throws<SnapshotException>(() => Build(records));

        Assert.Contains("rto:0001", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Build_SameRecordTwice_KeptOnce()
    {
        var records = Records();
        records.Add(Rto("0001", "Alpha Training"));

        Assert.Equal(Build(Records()).Records.ToArray(), Build(records).Records.ToArray());
    }

    [Fact]
    public void Build_NoRecords_EmptyFileWithItsDigest()
    {
        var snapshot = Build([]);

        Assert.Equal(0, snapshot.Records.Length);
        Assert.Equal(0, snapshot.Manifest.RecordCount);
        Assert.Equal("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", snapshot.Manifest.Digest);
    }

    [Fact]
    public void Build_BadSourceName_Throws()
    {
        Assert.Throws<SnapshotException>(() => SnapshotBuilder.Build("TGA/../x", "run-1", FetchedAt, Provenance, Records()));
    }

    [Fact]
    public void Parse_BadDigest_ThrowsClearly()
    {
        var json = Encoding.UTF8.GetString(Build(Records()).ManifestJson.Span).Replace("sha256:", "md5:", StringComparison.Ordinal);

        var error = Assert.Throws<SnapshotException>(() => SnapshotManifest.Parse(Encoding.UTF8.GetBytes(json)));

        Assert.Contains("digest", error.Message, StringComparison.Ordinal);
    }

    private static Snapshot Build(IEnumerable<ISnapshotRecord> records) => SnapshotBuilder.Build("tga", "run-1", FetchedAt, Provenance, records);

    private static List<ISnapshotRecord> Records() =>
    [
        Rto("0002", "Beta College"),
        new ScopeRecord("0001", "BSB40120", ["Qualification"], "01", false, false, null, new DateOnly(2021, 3, 4), null),
        Rto("0001", "Alpha Training"),
    ];

    private static RtoRecord Rto(string code, string name) =>
        new(code, name, "12345678901", ["Trading é ☃"], "Current", "ASQA", new DateOnly(2020, 1, 1), new DateOnly(2027, 1, 1), new DateTimeOffset(2024, 5, 6, 7, 8, 9, TimeSpan.FromHours(10)));
}
