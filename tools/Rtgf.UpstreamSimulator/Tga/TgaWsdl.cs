using System.Xml.Linq;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>
/// A compact WSDL for the simulated operations: real target namespace, operation names, SOAPActions and the two
/// bindings, with request/response bodies typed loosely (the full 2011 schema is in the research notes, not here).
/// </summary>
internal static class TgaWsdl
{
    private static readonly XNamespace Wsdl = "http://schemas.xmlsoap.org/wsdl/";
    private static readonly XNamespace Soap = "http://schemas.xmlsoap.org/wsdl/soap/";
    private static readonly XNamespace Soap12 = "http://schemas.xmlsoap.org/wsdl/soap12/";
    private static readonly XNamespace Xs = "http://www.w3.org/2001/XMLSchema";

    public static string Build(string serviceNamespace, bool training, string serviceUrl)
    {
        XNamespace tns = serviceNamespace;
        var contract = training ? "ITrainingComponentService" : "IOrganisationService";
        var bindingName = training ? "Training" : "Organisation";
        var operations = training ? TrainingComponentSoapService.Operations : OrganisationSoapService.Operations;
        var actionPrefix = serviceNamespace.TrimEnd('/') + "/" + contract + "/";

        XElement Binding(string name, XNamespace soap) => new(
            Wsdl + "binding",
            new XAttribute("name", name),
            new XAttribute("type", "tns:" + contract),
            new XElement(soap + "binding", new XAttribute("transport", "http://schemas.xmlsoap.org/soap/http")),
            operations.Select(op => new XElement(
                Wsdl + "operation",
                new XAttribute("name", op),
                new XElement(soap + "operation", new XAttribute("soapAction", actionPrefix + op), new XAttribute("style", "document")),
                new XElement(Wsdl + "input", new XElement(soap + "body", new XAttribute("use", "literal"))),
                new XElement(Wsdl + "output", new XElement(soap + "body", new XAttribute("use", "literal"))))));

        var document = new XDocument(new XElement(
            Wsdl + "definitions",
            new XAttribute("name", training ? "TrainingComponentService" : "OrganisationService"),
            new XAttribute("targetNamespace", serviceNamespace),
            new XAttribute(XNamespace.Xmlns + "wsdl", Wsdl.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "soap", Soap.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "soap12", Soap12.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "xs", Xs.NamespaceName),
            new XAttribute(XNamespace.Xmlns + "tns", serviceNamespace),
            new XElement(
                Wsdl + "types",
                new XElement(
                    Xs + "schema",
                    new XAttribute("elementFormDefault", "qualified"),
                    new XAttribute("targetNamespace", serviceNamespace),
                    operations.SelectMany(op => new[]
                    {
                        Wrapper(Xs, op, op is "GetServerTime" or "GetRegistrationManagers" ? null : "request"),
                        Wrapper(Xs, op + "Response", op + "Result"),
                    }))),
            operations.SelectMany(op => new[]
            {
                new XElement(Wsdl + "message", new XAttribute("name", contract + "_" + op + "_InputMessage"), new XElement(Wsdl + "part", new XAttribute("name", "parameters"), new XAttribute("element", "tns:" + op))),
                new XElement(Wsdl + "message", new XAttribute("name", contract + "_" + op + "_OutputMessage"), new XElement(Wsdl + "part", new XAttribute("name", "parameters"), new XAttribute("element", "tns:" + op + "Response"))),
            }),
            new XElement(
                Wsdl + "portType",
                new XAttribute("name", contract),
                operations.Select(op => new XElement(
                    Wsdl + "operation",
                    new XAttribute("name", op),
                    new XElement(Wsdl + "input", new XAttribute("message", "tns:" + contract + "_" + op + "_InputMessage")),
                    new XElement(Wsdl + "output", new XAttribute("message", "tns:" + contract + "_" + op + "_OutputMessage"))))),
            Binding(bindingName, Soap),
            Binding(bindingName + "12", Soap12),
            new XElement(
                Wsdl + "service",
                new XAttribute("name", training ? "TrainingComponentService" : "OrganisationService"),
                new XElement(Wsdl + "port", new XAttribute("name", bindingName), new XAttribute("binding", "tns:" + bindingName), new XElement(Soap + "address", new XAttribute("location", serviceUrl + "/" + bindingName))),
                new XElement(Wsdl + "port", new XAttribute("name", bindingName + "12"), new XAttribute("binding", "tns:" + bindingName + "12"), new XElement(Soap12 + "address", new XAttribute("location", serviceUrl + "/" + bindingName + "12"))))));
        return document.ToString(SaveOptions.DisableFormatting);
    }

    private static XElement Wrapper(XNamespace xs, string name, string? child) => new(
        xs + "element",
        new XAttribute("name", name),
        new XElement(
            xs + "complexType",
            new XElement(
                xs + "sequence",
                child is null ? null : new XElement(xs + "element", new XAttribute("minOccurs", "0"), new XAttribute("name", child), new XAttribute("nillable", "true"), new XAttribute("type", "xs:anyType")))));
}
