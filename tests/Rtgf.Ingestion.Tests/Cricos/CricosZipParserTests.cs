using Rtgf.Ingestion.Cricos;
using Rtgf.Ingestion.Records;
using Rtgf.Ingestion.Tests.Support;

namespace Rtgf.Ingestion.Tests.Cricos;

public sealed class CricosZipParserTests
{
    [Fact]
    public void Parse_DocumentedExport_NormalisesProvidersCoursesAndLocations()
    {
        var snapshot = CricosZipParser.Parse(new MemoryStream(CricosZip.Build()));

        Assert.Equal(["cricos-provider:00123M", "cricos-provider:03981M"], snapshot.Providers.Select(p => p.Key));
        var provider = snapshot.Providers[1];
        Assert.Equal("Example Institute Pty Ltd", provider.InstitutionName);
        Assert.Equal(1200, provider.Capacity);
        Assert.Null(snapshot.Providers[0].TradingName);
        Assert.Equal("Sample University, The", snapshot.Providers[0].InstitutionName);
        var course = snapshot.Courses.Single(c => c.CourseCode == "109999K");
        Assert.Equal("cricos-course:03981M:109999K", course.Key);
        Assert.Equal("BSB40120", course.VetNationalCode);
        Assert.Equal(52, course.DurationWeeks);
        Assert.Equal(14000m, course.TuitionFee);
        Assert.Equal(15500m, course.EstimatedTotalCost);
        Assert.False(course.Expired);
        Assert.Equal(["Parramatta Campus", "Sydney Campus"], course.Locations);
        Assert.True(snapshot.Courses.Single(c => c.CourseCode == "012345A").Expired);
        Assert.Equal(["cricos-location:03981M:Parramatta Campus", "cricos-location:03981M:Sydney Campus"], snapshot.Locations.Select(l => l.Key));
    }

    [Fact]
    public void Parse_DocumentedExport_WritesFixedMemberOrder()
    {
        var snapshot = CricosZipParser.Parse(new MemoryStream(CricosZip.Build()));

        var json = System.Text.Encoding.UTF8.GetString(SnapshotJson.ToUtf8(snapshot.Courses.Single(c => c.CourseCode == "109999K")));

        Assert.Equal("""{"courseCode":"109999K","courseLevel":"Certificate IV","courseName":"Certificate IV in Business","durationWeeks":52,"estimatedTotalCost":"15500.00","expired":false,"locations":["Parramatta Campus","Sydney Campus"],"nonTuitionFee":"1500.00","providerCode":"03981M","tuitionFee":"14000.00","vetNationalCode":"BSB40120"}""", json);
    }

    [Fact]
    public void Parse_RenamedColumn_ThrowsNamingTheMissingColumn()
    {
        var courses = CricosZip.Courses.Replace("Course Name,", "Course Title,", StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => CricosZipParser.Parse(new MemoryStream(CricosZip.Build(courses: courses))));

        Assert.Contains("CRICOS Courses.csv", error.Message, StringComparison.Ordinal);
        Assert.Contains("'Course Name'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_MissingFile_ThrowsNamingIt()
    {
        var error = Assert.Throws<UpstreamFormatException>(() => CricosZipParser.Parse(new MemoryStream(CricosZip.Build(courseLocations: null))));

        Assert.Contains("CRICOS Course Locations.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_TruncatedZip_ThrowsFormatError()
    {
        var zip = CricosZip.Build();

        Assert.Throws<UpstreamFormatException>(() => CricosZipParser.Parse(new MemoryStream(zip[..(zip.Length / 2)])));
    }

    [Fact]
    public void Parse_UnterminatedQuote_ThrowsFormatError()
    {
        var institutions = CricosZip.Institutions + "\n99999Z,\"Broken,Broken Pty Ltd,Private,1,x,,,,,City,NSW,2000";

        var error = Assert.Throws<UpstreamFormatException>(() => CricosZipParser.Parse(new MemoryStream(CricosZip.Build(institutions: institutions))));

        Assert.Contains("CRICOS Institutions.csv", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_BadAmount_ThrowsNamingColumnAndValue()
    {
        var courses = CricosZip.Courses.Replace("\"$14,000\"", "fourteen thousand", StringComparison.Ordinal);

        var error = Assert.Throws<UpstreamFormatException>(() => CricosZipParser.Parse(new MemoryStream(CricosZip.Build(courses: courses))));

        Assert.Contains("'Tuition Fee'", error.Message, StringComparison.Ordinal);
        Assert.Contains("fourteen thousand", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_ExtraFieldsInARow_ThrowsFormatError()
    {
        var locations = CricosZip.Locations + "\n03981M,X,Extra Campus,Campus,a,b,c,d,City,NSW,2000,unexpected";

        Assert.Throws<UpstreamFormatException>(() => CricosZipParser.Parse(new MemoryStream(CricosZip.Build(locations: locations))));
    }
}
