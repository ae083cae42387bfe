using System.Globalization;
using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>
/// Builds WCF DataContract-style XML in the service namespace: members in schema order, <c>i:nil</c> for nulls,
/// <c>DateTimeOffset</c> as a DateTime/OffsetMinutes pair, <c>ArrayOfstring</c> items in the Arrays namespace.
/// </summary>
internal sealed class TgaXml(XNamespace service, int? version)
{
    /// <summary>Offset the register reports its timestamps in (AEST), as the DateTimeOffset pair carries it.</summary>
    private const short OffsetMinutes = 600;

    public XNamespace Ns { get; } = service;

    /// <summary>Versioned endpoints (…ServiceV{N}.svc) return derived types (Summary3, Rto3, Scope2) with xsi:type.</summary>
    public bool Versioned { get; } = version is not null;

    public XElement E(string name, params object?[] content) => new(Ns + name, content);

    public XElement Text(string name, string? value) => value is null ? Nil(name) : new XElement(Ns + name, value);

    public XElement Nil(string name) => new(Ns + name, new XAttribute(SoapNamespaces.Instance + "nil", "true"));

    public XElement Bool(string name, bool value) => new(Ns + name, value ? "true" : "false");

    public XElement Int(string name, int value) => new(Ns + name, value.ToString(CultureInfo.InvariantCulture));

    public XElement Date(string name, DateOnly? value) =>
        value is { } d ? new XElement(Ns + name, d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)) : Nil(name);

    public XElement Offset(string name, DateTimeOffset value) => new(
        Ns + name,
        new XElement(SoapNamespaces.System + "DateTime", value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture)),
        new XElement(SoapNamespaces.System + "OffsetMinutes", OffsetMinutes.ToString(CultureInfo.InvariantCulture)));

    public XElement Strings(string name, IEnumerable<string> values) => new(Ns + name, values.Select(v => new XElement(SoapNamespaces.Arrays + "string", v)));

    /// <summary>The AbstractDto base members every child row starts with.</summary>
    public object[] Dto(DateOnly? start, DateOnly? end) => [Text("ActionOnEntity", "None"), Date("EndDate", end), Date("StartDate", start)];

    /// <summary>An element typed as a derived data contract (e.g. <c>Rto3</c>), as WCF writes it.</summary>
    public static XElement Typed(XElement element, string typeName)
    {
        element.Add(new XAttribute(SoapNamespaces.Instance + "type", typeName));
        return element;
    }

    public static DateTimeOffset? ReadOffset(XElement? element)
    {
        if (element is null || (string?)element.Attribute(SoapNamespaces.Instance + "nil") == "true")
        {
            return null;
        }

        var text = element.Element(SoapNamespaces.System + "DateTime")?.Value
            ?? throw SoapFaultException.Validation("InvalidDate", $"{element.Name.LocalName} has no DateTime child (namespace {SoapNamespaces.System}).");
        var minutesText = element.Element(SoapNamespaces.System + "OffsetMinutes")?.Value ?? "0";
        if (!DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AdjustToUniversal | DateTimeStyles.AssumeUniversal, out var utc)
            || !short.TryParse(minutesText, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var minutes))
        {
            throw SoapFaultException.Validation("InvalidDate", $"{element.Name.LocalName} is not a valid DateTimeOffset ('{text}', '{minutesText}').");
        }

        return new DateTimeOffset(DateTime.SpecifyKind(utc, DateTimeKind.Utc)).ToOffset(TimeSpan.FromMinutes(minutes));
    }

    public bool ReadBool(XElement? parent, string name, bool fallback = false)
    {
        var value = parent?.Element(Ns + name)?.Value;
        return value is null ? fallback : value.Trim() is "true" or "1";
    }

    public string? ReadString(XElement? parent, string name) => parent?.Element(Ns + name)?.Value;
}
