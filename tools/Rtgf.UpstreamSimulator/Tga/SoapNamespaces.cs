using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>The fixed namespaces of the TGA web services (the service namespace itself is configurable).</summary>
internal static class SoapNamespaces
{
    public static readonly XNamespace Soap11 = "http://schemas.xmlsoap.org/soap/envelope/";
    public static readonly XNamespace Soap12 = "http://www.w3.org/2003/05/soap-envelope";
    public static readonly XNamespace Wsse = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-wssecurity-secext-1.0.xsd";
    public static readonly XNamespace Addressing = "http://www.w3.org/2005/08/addressing";
    public static readonly XNamespace Instance = "http://www.w3.org/2001/XMLSchema-instance";
    public static readonly XNamespace System = "http://schemas.datacontract.org/2004/07/System";
    public static readonly XNamespace Arrays = "http://schemas.microsoft.com/2003/10/Serialization/Arrays";

    public const string PasswordText = "http://docs.oasis-open.org/wss/2004/01/oasis-200401-wss-username-token-profile-1.0#PasswordText";

    /// <summary>The 2011 WSDL's target namespace, the default service namespace.</summary>
    public const string DefaultService = "http://training.gov.au/services/";
}
