using System.IO.Compression;
using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Tests;

/// <summary>Reads the first sheet of an XLSX with nothing but ZipArchive and XDocument (inline and shared strings, numbers).</summary>
internal static class XlsxReader
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace Rel = "http://schemas.openxmlformats.org/package/2006/relationships";

    public static List<Dictionary<string, string>> Rows(byte[] xlsx, out List<string> header)
    {
        using var archive = new ZipArchive(new MemoryStream(xlsx));
        XDocument Load(string name)
        {
            using var stream = (archive.GetEntry(name) ?? throw new InvalidDataException($"{name} is missing")).Open();
            return XDocument.Load(stream);
        }

        // Follow the package the way a reader must: root rels -> workbook -> workbook rels -> sheet.
        var workbookPath = (string)Load("_rels/.rels").Root!.Elements(Rel + "Relationship").Single().Attribute("Target")!;
        var workbook = Load(workbookPath);
        var sheetRelId = (string)workbook.Root!.Element(Main + "sheets")!.Elements().First().Attribute((XNamespace)"http://schemas.openxmlformats.org/officeDocument/2006/relationships" + "id")!;
        var target = (string)Load("xl/_rels/workbook.xml.rels").Root!.Elements(Rel + "Relationship").Single(r => (string?)r.Attribute("Id") == sheetRelId).Attribute("Target")!;
        var sheet = Load("xl/" + target);
        Assert.NotNull(archive.GetEntry("[Content_Types].xml"));

        var grid = sheet.Descendants(Main + "row").Select(row => row.Elements(Main + "c").ToDictionary(
            c => new string(((string)c.Attribute("r")!).TakeWhile(char.IsLetter).ToArray()),
            c => (string?)c.Attribute("t") == "inlineStr" ? c.Element(Main + "is")!.Element(Main + "t")!.Value : c.Element(Main + "v")!.Value)).ToList();
        var columns = grid[0];
        header = [.. columns.Values];
        return [.. grid.Skip(1).Select(cells => columns.ToDictionary(h => h.Value, h => cells.GetValueOrDefault(h.Key) ?? string.Empty))];
    }
}
