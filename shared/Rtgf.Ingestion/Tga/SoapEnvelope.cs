using System.Globalization;
using System.Text;
using System.Xml;

namespace Rtgf.Ingestion.Tga;

/// <summary>
/// Builds SOAP 1.1 request envelopes with a WS-Security UsernameToken (PasswordText). Request members are written in
/// WCF DataContract order: base-type members first, then each type's members alphabetically; WCF ignores misordered ones.
/// </summary>
internal sealed class SoapEnvelope
{
    public const string SoapNamespace = "http://schemas.xmlsoap.org/soap/envelope/";
    public const string WsseNamespace = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public const string PasswordTextType = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";
    public const string SystemNamespace = "http://schemas.datacontract.org/2004/07/System";

    private static readonly XmlWriterSettings WriterSettings = new() { Indent = false, OmitXmlDeclaration = true };

    private readonly StringBuilder _buffer = new();
    private readonly XmlWriter _writer;
    private readonly string _ns;

    private SoapEnvelope(string serviceNamespace, string operation, string userName, string password, bool hasRequest)
    {
        _ns = serviceNamespace;
        _writer = XmlWriter.Create(_buffer, WriterSettings);
        _writer.WriteStartElement("s", "Envelope", SoapNamespace);
        _writer.WriteAttributeString("xmlns", "t", null, serviceNamespace);
        _writer.WriteAttributeString("xmlns", "sys", null, SystemNamespace);
        _writer.WriteStartElement("s", "Header", SoapNamespace);
        _writer.WriteStartElement("wsse", "Security", WsseNamespace);
        _writer.WriteAttributeString("s", "mustUnderstand", SoapNamespace, "1");
        _writer.WriteStartElement("wsse", "UsernameToken", WsseNamespace);
        _writer.WriteElementString("wsse", "Username", WsseNamespace, userName);
        _writer.WriteStartElement("wsse", "Password", WsseNamespace);
        _writer.WriteAttributeString("Type", PasswordTextType);
        _writer.WriteString(password);
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.WriteEndElement();
        _writer.WriteStartElement("s", "Body", SoapNamespace);
        _writer.WriteStartElement("t", operation, serviceNamespace);
        if (hasRequest)
        {
            _writer.WriteStartElement("t", "request", serviceNamespace);
        }
    }

    /// <summary>Starts <c>&lt;t:{operation}&gt;&lt;t:request&gt;</c>; with <paramref name="hasRequest"/> false the operation takes no argument.</summary>
    public static SoapEnvelope Start(string serviceNamespace, string operation, string userName, string password, bool hasRequest = true) =>
        new(serviceNamespace, operation, userName, password, hasRequest);

    public SoapEnvelope Element(string name, string value)
    {
        _writer.WriteElementString("t", name, _ns, value);
        return this;
    }

    public SoapEnvelope Element(string name, int value) => Element(name, value.ToString(CultureInfo.InvariantCulture));

    public SoapEnvelope Element(string name, bool value) => Element(name, value ? "true" : "false");

    /// <summary>A WCF DateTimeOffset: the UTC instant and the offset in minutes.</summary>
    public SoapEnvelope Element(string name, DateTimeOffset value)
    {
        _writer.WriteStartElement("t", name, _ns);
        _writer.WriteElementString("sys", "DateTime", SystemNamespace, value.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.FFFFFFF'Z'", CultureInfo.InvariantCulture));
        _writer.WriteElementString("sys", "OffsetMinutes", SystemNamespace, ((int)value.Offset.TotalMinutes).ToString(CultureInfo.InvariantCulture));
        _writer.WriteEndElement();
        return this;
    }

    public SoapEnvelope Open(string name)
    {
        _writer.WriteStartElement("t", name, _ns);
        return this;
    }

    public SoapEnvelope Close()
    {
        _writer.WriteEndElement();
        return this;
    }

    public SoapEnvelope Types(string name, TrainingComponentTypeFilter types) =>
        Open(name)
            .Element("IncludeAccreditedCourse", types.AccreditedCourse)
            .Element("IncludeAccreditedCourseModule", types.AccreditedCourseModule)
            .Element("IncludeQualification", types.Qualification)
            .Element("IncludeSkillSet", types.SkillSet)
            .Element("IncludeTrainingPackage", types.TrainingPackage)
            .Element("IncludeUnit", types.Unit)
            .Element("IncludeUnitContextualisation", types.UnitContextualisation)
            .Close();

    /// <summary>Closes every open element and returns the UTF-8 bytes.</summary>
    public byte[] ToBytes()
    {
        _writer.WriteEndDocument();
        _writer.Flush();
        _writer.Dispose();
        return Encoding.UTF8.GetBytes(_buffer.ToString());
    }
}
