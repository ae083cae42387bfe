using System.Text;
using System.Text.RegularExpressions;
using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Calendar;

namespace Rtgf.Pipeline.Tests.Calendar;

public sealed class KeyDatesTests
{
    private static KeyDates Parse(string entries) => KeyDates.Parse(Encoding.UTF8.GetBytes($$"""{"version":1,"entries":[{{entries}}]}"""));

    private const string Valid = """{"id":"x","title":"T","jurisdiction":"national","rule":{"annual":"02-28"},"source":"https://example.gov.au/x","effectiveFrom":"2015-01-01","effectiveTo":null,"verified":true}""";

    private static string With(string member, string json) =>
        Regex.Replace(Valid, $"\"{member}\":(\\{{[^}}]*\\}}|\"[^\"]*\"|null|true|false)", $"\"{member}\":{json}");

    [Fact]
    public void CheckedInFile_EveryEntryHasASourceAndAnEffectiveDate_IdsUnique()
    {
        var file = KeyDates.Load();

        Assert.NotEmpty(file.Entries);
        Assert.All(file.Entries, e => Assert.Equal(Uri.UriSchemeHttps, e.Source.Scheme));
        Assert.All(file.Entries, e => Assert.True(e.EffectiveFrom > new DateOnly(2000, 1, 1)));
        Assert.Equal(file.Entries.Count, file.Entries.Select(e => e.Id).Distinct(StringComparer.Ordinal).Count());
        Assert.Contains(file.Entries, e => e.Id == "standards-for-rtos-2025" && e.Dates.SequenceEqual([new DateOnly(2025, 7, 1)]));
    }

    [Fact]
    public void CheckedInFile_EveryVerifiedEntryCitesAnOfficialGovAuSource_AndTheAssumedAnnualNcverRuleIsUnverified()
    {
        var file = KeyDates.Load();

        Assert.All(file.Entries.Where(e => e.Verified), e => Assert.True(e.Source.Host.EndsWith(".gov.au", StringComparison.OrdinalIgnoreCase), $"{e.Id}: {e.Source}"));
        Assert.False(file.Entries.Single(e => e.Id == "ncver-total-vet-activity").Verified); // ASQA stated 28 February for 2017-2019 only
        Assert.DoesNotContain(file.Entries, e => e.Verified && (e.Notes ?? string.Empty).Contains("2023", StringComparison.Ordinal)); // no third-party date stated as fact
    }

    [Fact]
    public void Expand_AnnualRuleForThisYearAndTheYearsAhead_ListedDatesAlways_WithinTheEffectiveRange()
    {
        var file = Parse(Valid + "," + """{"id":"once","title":"Once","jurisdiction":"VIC","rule":{"dates":["2025-07-01","2024-02-29"]},"source":"https://example.gov.au/o","effectiveFrom":"2024-01-01","effectiveTo":"2025-12-31","verified":false,"notes":"n"}"""
            + "," + """{"id":"ended","title":"E","jurisdiction":"national","rule":{"annual":"06-30"},"source":"https://example.gov.au/e","effectiveFrom":"2020-01-01","effectiveTo":"2026-12-31","verified":true}""");

        var records = file.Expand(new DateOnly(2026, 3, 1), yearsAhead: 2, yearsBehind: 0);

        Assert.Equal(
            ["key-date:ended:2026-06-30", "key-date:once:2024-02-29", "key-date:once:2025-07-01", "key-date:x:2026-02-28", "key-date:x:2027-02-28", "key-date:x:2028-02-28"],
            records.Select(r => r.Key));
        var once = records.Single(r => r.Key == "key-date:once:2025-07-01");
        Assert.Equal(
            """{"date":"2025-07-01","effectiveFrom":"2024-01-01","effectiveTo":"2025-12-31","id":"once","information":"n","jurisdiction":"VIC","kind":"key-date","source":"https://example.gov.au/o","title":"Once","verified":false}""",
            Encoding.UTF8.GetString(SnapshotJson.ToUtf8(once)));
    }

    [Fact]
    public void Expand_On1January_LastYearsAnnualDatesStay_WithTheDefaultYearBehind()
    {
        var file = Parse(Valid);

        var newYear = file.Expand(new DateOnly(2027, 1, 1), yearsAhead: 1, yearsBehind: CalendarSettings.DefaultYearsBehind);

        Assert.Equal(["key-date:x:2026-02-28", "key-date:x:2027-02-28", "key-date:x:2028-02-28"], newYear.Select(r => r.Key));
    }

    [Theory]
    [InlineData(null, 1)]
    [InlineData("0", 0)]
    [InlineData("3", 3)]
    public void YearsBehind_Setting_DefaultsToOne(string? text, int expected) =>
        Assert.Equal(expected, CalendarSettings.YearsBehind(name => name == CalendarSettings.YearsBehindSetting ? text : null));

    [Fact]
    public void YearsBehind_Bad_IsAConfigurationErrorNamingTheSetting() =>
        Assert.Contains("'Calendar:YearsBehind'", Assert.Throws<InvalidOperationException>(() => CalendarSettings.YearsBehind(_ => "-1")).Message, StringComparison.Ordinal);

    [Theory]
    [InlineData("source", "null", "Key date 'x', member 'source': missing.")]
    [InlineData("source", "\"http://example.gov.au/x\"", "Key date 'x', member 'source': 'http://example.gov.au/x' is not an https URL.")]
    [InlineData("effectiveFrom", "null", "Key date 'x', member 'effectiveFrom': missing.")]
    [InlineData("effectiveFrom", "\"1 July 2025\"", "Key date 'x', member 'effectiveFrom': '1 July 2025' is not a yyyy-MM-dd date.")]
    [InlineData("effectiveTo", "\"2014-12-31\"", "Key date 'x', member 'effectiveTo': is before effectiveFrom.")]
    [InlineData("jurisdiction", "\"nsw\"", "Key date 'x', member 'jurisdiction': 'nsw' is not a state code (NSW, VIC, QLD, SA, WA, TAS, NT, ACT) or national.")]
    [InlineData("rule", "{\"annual\":\"02-29\"}", "Key date 'x', member 'rule.annual': '02-29' is not a MM-dd day that exists every year.")]
    [InlineData("rule", "{\"dates\":[]}", "Key date 'x', member 'rule.dates': must list at least one date, each once.")]
    [InlineData("rule", "{\"dates\":[\"2014-06-30\"]}", "Key date 'x', member 'rule': 2014-06-30 is outside the entry's effective range.")]
    [InlineData("rule", "{\"weekly\":\"MON\"}", "Key date 'x', member 'rule': 'weekly' is not a rule: use dates (an array) or annual (a string).")]
    [InlineData("verified", "\"yes\"", "Key date 'x', member 'verified': must be true or false.")]
    public void BadEntry_NamesTheEntryAndMember(string member, string json, string message)
    {
        var error = Assert.Throws<InvalidDataException>(() => Parse(With(member, json)));

        Assert.Equal(message, error.Message);
    }

    [Fact]
    public void DuplicateIds_UnknownMembers_BadIds_AndAnotherVersion_AreRefused()
    {
        Assert.Equal("Key date 'x' is listed twice.", Assert.Throws<InvalidDataException>(() => Parse(Valid + "," + Valid)).Message);
        Assert.StartsWith("Key date 'x', member 'date': unknown member", Assert.Throws<InvalidDataException>(() => Parse(Valid.Replace("\"title\"", "\"date\":\"2025-01-01\",\"title\"", StringComparison.Ordinal))).Message, StringComparison.Ordinal);
        Assert.Equal("Key-date entry 0 has id 'Bad Id': use lower-case letters, digits and '-'.", Assert.Throws<InvalidDataException>(() => Parse(Valid.Replace("\"id\":\"x\"", "\"id\":\"Bad Id\"", StringComparison.Ordinal))).Message);
        Assert.Throws<InvalidDataException>(() => KeyDates.Parse("""{"version":2,"entries":[]}"""u8));
    }
}
