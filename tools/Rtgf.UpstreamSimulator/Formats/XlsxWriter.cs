using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Formats;

/// <summary>
/// A minimal single-sheet XLSX (Office Open XML): content types, package and workbook relationships, the workbook and
/// one worksheet. Text cells are inline strings (no shared-string table); numbers are plain numeric cells, so Excel
/// dates appear as serials, as DFAT's Control Date often does.
/// </summary>
internal static class XlsxWriter
{
    private static readonly XNamespace Main = "http://schemas.openxmlformats.org/spreadsheetml/2006/main";
    private static readonly XNamespace OfficeRel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
    private static readonly XNamespace PackageRel = "http://schemas.openxmlformats.org/package/2006/relationships";
    private static readonly XNamespace ContentTypes = "http://schemas.openxmlformats.org/package/2006/content-types";

    /// <param name="sheetName">Name of the only sheet.</param>
    /// <param name="rows">Cells are <see cref="string"/> (inline string), a number, or null (no cell).</param>
    public static byte[] Write(string sheetName, IEnumerable<IReadOnlyList<object?>> rows)
    {
        var sheetData = new XElement(Main + "sheetData");
        var r = 0;
        foreach (var row in rows)
        {
            r++;
            var rowElement = new XElement(Main + "row", new XAttribute("r", r));
            for (var c = 0; c < row.Count; c++)
            {
                var reference = Column(c) + r.ToString(CultureInfo.InvariantCulture);
                switch (row[c])
                {
                    case null:
                        break;
                    case string text:
                        rowElement.Add(new XElement(
                            Main + "c",
                            new XAttribute("r", reference),
                            new XAttribute("t", "inlineStr"),
                            new XElement(Main + "is", new XElement(Main + "t", text.Trim() != text ? new XAttribute(XNamespace.Xml + "space", "preserve") : null, text))));
                        break;
                    case IFormattable number:
                        rowElement.Add(new XElement(Main + "c", new XAttribute("r", reference), new XElement(Main + "v", number.ToString(null, CultureInfo.InvariantCulture))));
                        break;
                    default:
                        throw new ArgumentException($"Cell {reference} holds a {row[c]!.GetType().Name}; only strings and numbers are supported.", nameof(rows));
                }
            }

            sheetData.Add(rowElement);
        }

        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal)
        {
            ["[Content_Types].xml"] = Bytes(new XElement(
                ContentTypes + "Types",
                new XElement(ContentTypes + "Default", new XAttribute("Extension", "rels"), new XAttribute("ContentType", "application/vnd.openxmlformats-package.relationships+xml")),
                new XElement(ContentTypes + "Default", new XAttribute("Extension", "xml"), new XAttribute("ContentType", "application/xml")),
                new XElement(ContentTypes + "Override", new XAttribute("PartName", "/xl/workbook.xml"), new XAttribute("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")),
                new XElement(ContentTypes + "Override", new XAttribute("PartName", "/xl/worksheets/sheet1.xml"), new XAttribute("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")))),
            ["_rels/.rels"] = Bytes(new XElement(
                PackageRel + "Relationships",
                new XElement(PackageRel + "Relationship", new XAttribute("Id", "rId1"), new XAttribute("Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"), new XAttribute("Target", "xl/workbook.xml")))),
            ["xl/workbook.xml"] = Bytes(new XElement(
                Main + "workbook",
                new XAttribute(XNamespace.Xmlns + "r", OfficeRel.NamespaceName),
                new XElement(Main + "sheets", new XElement(Main + "sheet", new XAttribute("name", sheetName), new XAttribute("sheetId", "1"), new XAttribute(OfficeRel + "id", "rId1"))))),
            ["xl/_rels/workbook.xml.rels"] = Bytes(new XElement(
                PackageRel + "Relationships",
                new XElement(PackageRel + "Relationship", new XAttribute("Id", "rId1"), new XAttribute("Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"), new XAttribute("Target", "worksheets/sheet1.xml")))),
            ["xl/worksheets/sheet1.xml"] = Bytes(new XElement(Main + "worksheet", sheetData)),
        };
        return DeterministicZip.Create(parts);
    }

    /// <summary>Excel's serial day number (1900 date system, day 0 = 1899-12-30).</summary>
    public static int Serial(DateOnly date) => date.DayNumber - new DateOnly(1899, 12, 30).DayNumber;

    internal static string Column(int index)
    {
        var name = string.Empty;
        for (var n = index + 1; n > 0; n = (n - 1) / 26)
        {
            name = (char)('A' + ((n - 1) % 26)) + name;
        }

        return name;
    }

    private static byte[] Bytes(XElement root)
    {
        var text = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\r\n" + root.ToString(SaveOptions.DisableFormatting);
        return Encoding.UTF8.GetBytes(text);
    }
}
