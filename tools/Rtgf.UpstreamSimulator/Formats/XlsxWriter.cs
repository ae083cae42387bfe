using System.Globalization;
using System.Text;
using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Formats;

/// <summary>
/// A minimal XLSX (Office Open XML): content types, package and workbook relationships, the workbook and
/// its worksheets (one, or several with merged ranges). Text cells are inline strings (no shared-string table); numbers are plain numeric cells, so Excel
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
    public static byte[] Write(string sheetName, IEnumerable<IReadOnlyList<object?>> rows) => Write([new XlsxSheet(sheetName, rows)]);

    /// <summary>A workbook of several sheets, in order; each sheet may carry merged ranges (<c>A7:A8</c>).</summary>
    public static byte[] Write(IReadOnlyList<XlsxSheet> sheets)
    {
        ArgumentNullException.ThrowIfNull(sheets);
        var contentTypes = new XElement(
            ContentTypes + "Types",
            new XElement(ContentTypes + "Default", new XAttribute("Extension", "rels"), new XAttribute("ContentType", "application/vnd.openxmlformats-package.relationships+xml")),
            new XElement(ContentTypes + "Default", new XAttribute("Extension", "xml"), new XAttribute("ContentType", "application/xml")),
            new XElement(ContentTypes + "Override", new XAttribute("PartName", "/xl/workbook.xml"), new XAttribute("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml")));
        var sheetList = new XElement(Main + "sheets");
        var relationships = new XElement(PackageRel + "Relationships");
        var parts = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        for (var i = 0; i < sheets.Count; i++)
        {
            var n = (i + 1).ToString(CultureInfo.InvariantCulture);
            contentTypes.Add(new XElement(ContentTypes + "Override", new XAttribute("PartName", $"/xl/worksheets/sheet{n}.xml"), new XAttribute("ContentType", "application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml")));
            sheetList.Add(new XElement(Main + "sheet", new XAttribute("name", sheets[i].Name), new XAttribute("sheetId", n), new XAttribute(OfficeRel + "id", "rId" + n)));
            relationships.Add(new XElement(PackageRel + "Relationship", new XAttribute("Id", "rId" + n), new XAttribute("Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet"), new XAttribute("Target", $"worksheets/sheet{n}.xml")));
            parts[$"xl/worksheets/sheet{n}.xml"] = Bytes(Worksheet(sheets[i]));
        }

        parts["[Content_Types].xml"] = Bytes(contentTypes);
        parts["_rels/.rels"] = Bytes(new XElement(
            PackageRel + "Relationships",
            new XElement(PackageRel + "Relationship", new XAttribute("Id", "rId1"), new XAttribute("Type", "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"), new XAttribute("Target", "xl/workbook.xml"))));
        parts["xl/workbook.xml"] = Bytes(new XElement(Main + "workbook", new XAttribute(XNamespace.Xmlns + "r", OfficeRel.NamespaceName), sheetList));
        parts["xl/_rels/workbook.xml.rels"] = Bytes(relationships);
        return DeterministicZip.Create(parts);
    }

    private static XElement Worksheet(XlsxSheet sheet)
    {
        var sheetData = new XElement(Main + "sheetData");
        var r = 0;
        foreach (var row in sheet.Rows)
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
                        throw new ArgumentException($"Cell {reference} holds a {row[c]!.GetType().Name}; only strings and numbers are supported.", nameof(sheet));
                }
            }

            sheetData.Add(rowElement);
        }

        var worksheet = new XElement(Main + "worksheet", sheetData);
        if (sheet.Merges is { Count: > 0 } merges)
        {
            // mergeCells follows sheetData in the schema's order.
            worksheet.Add(new XElement(Main + "mergeCells", new XAttribute("count", merges.Count), merges.Select(m => new XElement(Main + "mergeCell", new XAttribute("ref", m)))));
        }

        return worksheet;
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
