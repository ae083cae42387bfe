using System.Globalization;
using System.Xml;

namespace Rtgf.Ingestion.Tga;

/// <summary>
/// Forward-only helpers over <see cref="XmlReader"/>, matching elements by local name (TGA's namespaces vary by version).
/// Every reader of an element leaves the reader on the node after that element.
/// </summary>
internal static class XmlCursor
{
    private const string XsiNamespace = "http://www.w3.org/2001/XMLSchema-instance";

    public static XmlReaderSettings Settings { get; } = new()
    {
        IgnoreWhitespace = true,
        IgnoreComments = true,
        IgnoreProcessingInstructions = true,
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        Async = false,
    };

    /// <summary>Steps into the element the reader is on; false (and past it) when it has no content.</summary>
    public static bool Enter(XmlReader reader)
    {
        if (reader.IsEmptyElement)
        {
            reader.Read();
            return false;
        }

        reader.Read();
        return true;
    }

    /// <summary>Moves to the next child element of the element at <paramref name="depth"/>; false (and past its end) when there is none.</summary>
    public static bool NextChild(XmlReader reader, int depth)
    {
        while (true)
        {
            switch (reader.NodeType)
            {
                case XmlNodeType.Element when reader.Depth == depth + 1:
                    return true;
                case XmlNodeType.EndElement when reader.Depth == depth:
                    reader.Read();
                    return false;
                case XmlNodeType.None:
                    throw new UpstreamFormatException($"The XML ended inside an element (depth {depth}): the response is truncated.");
                case XmlNodeType.Text or XmlNodeType.CDATA when reader.Depth == depth + 1:
                    throw new UpstreamFormatException($"Expected child elements but found text at {Where(reader)}.");
                default:
                    break;
            }

            if (!reader.Read())
            {
                throw new UpstreamFormatException($"The XML ended inside an element (depth {depth}): the response is truncated.");
            }
        }
    }

    public static bool IsNil(XmlReader reader) => reader.HasAttributes && reader.GetAttribute("nil", XsiNamespace) is "true" or "1";

    /// <summary>The element's text, or null when it is <c>xsi:nil</c>; child elements where text belongs are a format error.</summary>
    public static string? Text(XmlReader reader)
    {
        if (IsNil(reader))
        {
            reader.Skip();
            return null;
        }

        var name = reader.LocalName;
        var where = At(reader);
        try
        {
            return reader.ReadElementContentAsString();
        }
        catch (XmlException ex)
        {
            throw new UpstreamFormatException($"Expected text in <{name}> at {where}: {ex.Message}", ex);
        }
    }

    public static string RequiredText(XmlReader reader, string owner) =>
        Text(reader) is { Length: > 0 } text ? text : throw new UpstreamFormatException($"<{owner}> has an empty or nil <{reader.LocalName}> at {Where(reader)}.");

    public static bool Bool(XmlReader reader)
    {
        var name = reader.LocalName;
        var where = At(reader);
        return Text(reader) switch
        {
            null or "" => false,
            "true" or "1" => true,
            "false" or "0" => false,
            var other => throw new UpstreamFormatException($"Expected a boolean in <{name}> at {where}, found '{other}'."),
        };
    }

    public static int Int(XmlReader reader)
    {
        var name = reader.LocalName;
        var where = At(reader);
        var text = Text(reader);
        return int.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw new UpstreamFormatException($"Expected an integer in <{name}> at {where}, found '{text}'.");
    }

    /// <summary>An xs:date (WCF may also send a midnight xs:dateTime); null when nil or empty.</summary>
    public static DateOnly? Date(XmlReader reader)
    {
        var name = reader.LocalName;
        var where = At(reader);
        var text = Text(reader);
        if (string.IsNullOrEmpty(text))
        {
            return null;
        }

        return text.Length >= 10 && DateOnly.TryParseExact(text.AsSpan(0, 10), "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date)
            ? date
            : throw new UpstreamFormatException($"Expected a date (yyyy-MM-dd) in <{name}> at {where}, found '{text}'.");
    }

    /// <summary>A WCF <c>DateTimeOffset</c>: children <c>DateTime</c> (UTC instant) and <c>OffsetMinutes</c>; null when nil.</summary>
    public static DateTimeOffset? DateTimeOffsetPair(XmlReader reader)
    {
        var name = reader.LocalName;
        var where = At(reader);
        if (IsNil(reader))
        {
            reader.Skip();
            return null;
        }

        var depth = reader.Depth;
        string? instant = null;
        int? offset = null;
        if (Enter(reader))
        {
            while (NextChild(reader, depth))
            {
                switch (reader.LocalName)
                {
                    case "DateTime":
                        instant = Text(reader);
                        break;
                    case "OffsetMinutes":
                        offset = Int(reader);
                        break;
                    default:
                        reader.Skip();
                        break;
                }
            }
        }

        if (instant is null || offset is null)
        {
            throw new UpstreamFormatException($"<{name}> at {where} must hold both DateTime and OffsetMinutes (a DateTimeOffset).");
        }

        if (!DateTime.TryParse(instant, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc))
        {
            throw new UpstreamFormatException($"<{name}/DateTime> at {where} is not an xs:dateTime: '{instant}'.");
        }

        return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(TimeSpan.FromMinutes(offset.Value));
    }

    /// <summary>An xs:list of <c>TrainingComponentTypes</c> flags, sorted.</summary>
    public static IReadOnlyList<string> List(XmlReader reader) =>
        [.. (Text(reader) ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    /// <summary>Calls <paramref name="item"/> for each child of the array element the reader is on (any element name: xsi:type subtypes included).</summary>
    public static void Items(XmlReader reader, Action<XmlReader> item)
    {
        if (IsNil(reader))
        {
            reader.Skip();
            return;
        }

        var depth = reader.Depth;
        if (!Enter(reader))
        {
            return;
        }

        while (NextChild(reader, depth))
        {
            item(reader);
        }
    }

    /// <summary>The reader's position, cheap to take; formatted only when an error message needs it.</summary>
    public static Position At(XmlReader reader) =>
        reader is IXmlLineInfo { } info && info.HasLineInfo() ? new Position(info.LineNumber, info.LinePosition) : default;

    public static string Where(XmlReader reader) =>
        reader is IXmlLineInfo { } info && info.HasLineInfo() ? $"line {info.LineNumber}, position {info.LinePosition}" : "an unknown position";

    internal readonly record struct Position(int Line, int Column)
    {
        public override string ToString() => Line == 0 ? "an unknown position" : $"line {Line}, position {Column}";
    }
}
