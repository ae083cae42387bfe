using System.IO.Compression;
using System.Text;

namespace Rtgf.Ingestion.Tests.Support;

/// <summary>Builds a CRICOS bulk export ZIP in the documented shape (four CSVs, UTF-8 with BOM).</summary>
internal static class CricosZip
{
    public const string Institutions = """
        CRICOS Provider Code,Trading Name,Institution Name,Institution Type,Institution Capacity,Website,Postal Address Line 1,Postal Address Line 2,Postal Address Line 3,Postal Address Line 4,Postal Address City,Postal Address State,Postal Address Postcode
        03981M,Example Institute,Example Institute Pty Ltd,Private,"1,200",https://example.edu.au,PO Box 1,,,,Sydney,NSW,2000
        00123M,,"Sample University, The",Government,30000,https://sample.edu.au,GPO Box 9,,,,Brisbane,QLD,4001
        """;

    public const string Courses = """
        CRICOS Provider Code,Institution Name,CRICOS Course Code,Course Name,VET National Code,Dual Qualification,Field of Education 1 Broad Field,Field of Education 1 Narrow Field,Field of Education 1 Detailed Field,Course Level,Foundation Studies,Work Component,Course Language,Duration (Weeks),Tuition Fee,Non Tuition Fee,Estimated Total Course Cost,Expired
        03981M,Example Institute Pty Ltd,109999K,Certificate IV in Business,BSB40120,No,08 - Management and Commerce,0803 - Business and Management,080301 - Business Management,Certificate IV,No,No,English,52,"$14,000",1500,"$15,500.00",No
        00123M,"Sample University, The",012345A,Bachelor of Arts,,No,09 - Society and Culture,0901 - Political Science,090101 - Political Science,Bachelor Degree,No,No,English,156,90000,,90000,Yes
        """;

    public const string Locations = """
        CRICOS Provider Code,Institution Name,Location Name,Location Type,Address Line 1,Address Line 2,Address Line 3,Address Line 4,City,State,Postcode
        03981M,Example Institute Pty Ltd,Sydney Campus,Campus,1 George St,,,,Sydney,NSW,2000
        03981M,Example Institute Pty Ltd,Parramatta Campus,Campus,2 Church St,,,,Parramatta,NSW,2150
        """;

    public const string CourseLocations = """
        CRICOS Provider Code,Institution Name,CRICOS Course Code,Location Name,Location City,Location State
        03981M,Example Institute Pty Ltd,109999K,Sydney Campus,Sydney,NSW
        03981M,Example Institute Pty Ltd,109999K,Parramatta Campus,Parramatta,NSW
        """;

    public static byte[] Build(string institutions = Institutions, string courses = Courses, string locations = Locations, string? courseLocations = CourseLocations)
    {
        using var buffer = new MemoryStream();
        using (var zip = new ZipArchive(buffer, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "CRICOS Institutions.csv", institutions);
            Add(zip, "CRICOS Courses.csv", courses);
            Add(zip, "CRICOS Locations.csv", locations);
            if (courseLocations is not null)
            {
                Add(zip, "CRICOS Course Locations.csv", courseLocations);
            }
        }

        return buffer.ToArray();
    }

    private static void Add(ZipArchive zip, string name, string csv)
    {
        using var stream = zip.CreateEntry(name).Open();
        stream.Write(Encoding.UTF8.GetPreamble());
        stream.Write(Encoding.UTF8.GetBytes(csv.ReplaceLineEndings("\r\n")));
    }
}
