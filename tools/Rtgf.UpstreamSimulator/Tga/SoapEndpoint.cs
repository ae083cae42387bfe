using System.Text.RegularExpressions;
using System.Text;
using System.Xml.Linq;
using System.Xml;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Rtgf.UpstreamSimulator.Faults;
using Rtgf.UpstreamSimulator.World;

namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>
/// The TGA WCF endpoints: <c>/Deewr.Tga.WebServices/{TrainingComponent|Organisation}Service[V{N}].svc[/{binding}]</c>.
/// SOAP 1.1 on <c>/Training</c> and <c>/Organisation</c> (SOAPAction header); SOAP 1.2 on <c>/Training12</c>,
/// <c>/Organisation12</c> and the bare versioned <c>.svc</c> (action from the content type or <c>wsa:Action</c>).
/// Every call needs a WS-Security UsernameToken with a PasswordText password.
/// </summary>
internal sealed partial class SoapEndpoint(SimulatedWorld world, SimulatorOptions options)
{
    private readonly TrainingComponentSoapService _training = new(world);
    private readonly OrganisationSoapService _organisation = new(world);

    public async Task HandleAsync(HttpContext context)
    {
        var route = Route().Match(context.Request.Path.Value ?? string.Empty);
        if (!route.Success)
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        var training = route.Groups["service"].Value.Equals("TrainingComponent", StringComparison.OrdinalIgnoreCase);
        int? version = route.Groups["version"].Success ? int.Parse(route.Groups["version"].Value, System.Globalization.CultureInfo.InvariantCulture) : null;
        var binding = route.Groups["binding"].Success ? route.Groups["binding"].Value : null;
        var contract = training ? "ITrainingComponentService" : "IOrganisationService";
        var bindingName = training ? "Training" : "Organisation";

        if (HttpMethods.IsGet(context.Request.Method))
        {
            if (context.Request.Query.ContainsKey("wsdl") || context.Request.Query.ContainsKey("singleWsdl"))
            {
                context.Response.ContentType = "text/xml; charset=utf-8";
                var baseUrl = $"{context.Request.Scheme}://{context.Request.Host}{context.Request.PathBase}{route.Groups["svc"].Value}";
                await context.Response.WriteAsync(TgaWsdl.Build(options.TgaNamespace, training, baseUrl), context.RequestAborted).ConfigureAwait(false);
                return;
            }

            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync("You have created a service. Append ?wsdl for its description.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        if (!HttpMethods.IsPost(context.Request.Method))
        {
            context.Response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }

        bool soap12;
        if (binding is null)
        {
            soap12 = version is not null;
            if (!soap12)
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return;
            }
        }
        else if (binding.Equals(bindingName, StringComparison.OrdinalIgnoreCase))
        {
            soap12 = false;
        }
        else if (binding.Equals(bindingName + "12", StringComparison.OrdinalIgnoreCase))
        {
            soap12 = true;
        }
        else
        {
            context.Response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }

        // WCF refuses the wrong SOAP version's content type before reading the message.
        var contentType = context.Request.ContentType ?? string.Empty;
        var expected = soap12 ? "application/soap+xml" : "text/xml";
        if (!contentType.StartsWith(expected, StringComparison.OrdinalIgnoreCase))
        {
            context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
            context.Response.ContentType = "text/plain; charset=utf-8";
            await context.Response.WriteAsync($"Cannot process the message because the content type '{contentType}' was not the expected type '{expected}; charset=utf-8'.", context.RequestAborted).ConfigureAwait(false);
            return;
        }

        var ns = (XNamespace)options.TgaNamespace;
        var xml = new TgaXml(ns, version);
        var envelopeNs = soap12 ? SoapNamespaces.Soap12 : SoapNamespaces.Soap11;
        string? action = null;
        XDocument response;
        try
        {
            var document = await ReadEnvelopeAsync(context, envelopeNs).ConfigureAwait(false);
            var header = document.Root!.Element(envelopeNs + "Header");
            action = ReadAction(context, soap12, header);
            var body = document.Root.Element(envelopeNs + "Body")?.Elements().FirstOrDefault()
                ?? throw new SoapFaultException(true, null, "The SOAP Body is empty.");
            var prefix = options.TgaNamespace.TrimEnd('/') + "/" + contract + "/";
            var operation = action.StartsWith(prefix, StringComparison.Ordinal) ? action[prefix.Length..] : null;
            var known = training ? TrainingComponentSoapService.Operations : OrganisationSoapService.Operations;
            if (operation is null || !known.Contains(operation, StringComparer.Ordinal) || body.Name != ns + operation)
            {
                throw new SoapFaultException(
                    true,
                    ("http://schemas.microsoft.com/ws/2005/05/addressing/none", "ActionNotSupported"),
                    $"The message with Action '{action}' cannot be processed at the receiver, due to a ContractFilter mismatch at the EndpointDispatcher. " +
                    $"Expected one of {string.Join(", ", known.Select(k => prefix + k))} with a matching <{{{ns.NamespaceName}}}operation> body element.");
            }

            Authenticate(header);
            var result = training ? _training.Invoke(operation, body, xml) : _organisation.Invoke(operation, body, xml);
            result.Add(new XAttribute("xmlns", ns.NamespaceName));
            var replyAction = prefix + operation + "Response";
            response = Envelope(envelopeNs, soap12 ? ReplyHeaders(header, replyAction, envelopeNs) : null, result);
            if (!soap12)
            {
                context.Response.Headers["SOAPAction"] = replyAction;
            }
        }
        catch (SoapFaultException fault)
        {
            context.Response.StatusCode = StatusCodes.Status500InternalServerError;
            response = Envelope(envelopeNs, null, Fault(fault, envelopeNs, ns, soap12));
        }

        if (context.Features.Get<SchemaDriftFeature>() is not null)
        {
            SchemaDrift.Apply(response);
        }

        context.Response.ContentType = soap12 ? "application/soap+xml; charset=utf-8" : "text/xml; charset=utf-8";
        var bytes = Serialize(response);
        context.Response.ContentLength = bytes.Length;
        await context.Response.Body.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    internal static byte[] Serialize(XDocument document)
    {
        using var stream = new MemoryStream();
        using (var writer = XmlWriter.Create(stream, new XmlWriterSettings { Encoding = new UTF8Encoding(false), OmitXmlDeclaration = true }))
        {
            document.Save(writer);
        }

        return stream.ToArray();
    }

    private static async Task<XDocument> ReadEnvelopeAsync(HttpContext context, XNamespace envelopeNs)
    {
        XDocument document;
        try
        {
            document = await XDocument.LoadAsync(context.Request.Body, LoadOptions.None, context.RequestAborted).ConfigureAwait(false);
        }
        catch (XmlException e)
        {
            throw new SoapFaultException(true, null, "The request is not well-formed XML: " + e.Message);
        }

        if (document.Root?.Name != envelopeNs + "Envelope")
        {
            throw new SoapFaultException(
                true,
                null,
                $"The root element must be {{{envelopeNs.NamespaceName}}}Envelope for this binding, not {{{document.Root?.Name.NamespaceName}}}{document.Root?.Name.LocalName}.");
        }

        return document;
    }

    private static string ReadAction(HttpContext context, bool soap12, XElement? header)
    {
        string? action;
        if (soap12)
        {
            action = header?.Element(SoapNamespaces.Addressing + "Action")?.Value;
            if (action is null && context.Request.ContentType is { } contentType)
            {
                var match = ActionParameter().Match(contentType);
                action = match.Success ? match.Groups["action"].Value : null;
            }
        }
        else
        {
            var header11 = context.Request.Headers["SOAPAction"];
            action = StringValues.IsNullOrEmpty(header11) ? null : header11.ToString().Trim('"');
        }

        return string.IsNullOrEmpty(action)
            ? throw new SoapFaultException(true, ("http://schemas.microsoft.com/ws/2005/05/addressing/none", "ActionNotSupported"), soap12
                ? "The message has no action: send a wsa:Action header or an action parameter on the content type."
                : "The message has no action: send a SOAPAction HTTP header.")
            : action.Trim();
    }

    private void Authenticate(XElement? header)
    {
        var token = header?.Element(SoapNamespaces.Wsse + "Security")?.Element(SoapNamespaces.Wsse + "UsernameToken");
        var username = token?.Element(SoapNamespaces.Wsse + "Username")?.Value;
        var password = token?.Element(SoapNamespaces.Wsse + "Password");
        var passwordType = (string?)password?.Attribute("Type") ?? SoapNamespaces.PasswordText;
        if (username is null || password is null || passwordType != SoapNamespaces.PasswordText
            || !string.Equals(username, options.TgaUsername, StringComparison.Ordinal)
            || !string.Equals(password.Value, options.TgaPassword, StringComparison.Ordinal))
        {
            throw SoapFaultException.InvalidSecurity();
        }
    }

    private static XDocument Envelope(XNamespace envelopeNs, IEnumerable<XElement>? headers, XElement bodyContent) => new(new XElement(
        envelopeNs + "Envelope",
        new XAttribute(XNamespace.Xmlns + "s", envelopeNs.NamespaceName),
        new XAttribute(XNamespace.Xmlns + "i", SoapNamespaces.Instance.NamespaceName),
        new XAttribute(XNamespace.Xmlns + "a", SoapNamespaces.System.NamespaceName),
        new XAttribute(XNamespace.Xmlns + "b", SoapNamespaces.Arrays.NamespaceName),
        headers is null ? null : new XElement(envelopeNs + "Header", headers),
        new XElement(envelopeNs + "Body", bodyContent)));

    private static IEnumerable<XElement> ReplyHeaders(XElement? requestHeader, string replyAction, XNamespace envelopeNs)
    {
        yield return new XElement(
            SoapNamespaces.Addressing + "Action",
            new XAttribute(XNamespace.Xmlns + "w", SoapNamespaces.Addressing.NamespaceName),
            new XAttribute(envelopeNs + "mustUnderstand", "1"),
            replyAction);
        if (requestHeader?.Element(SoapNamespaces.Addressing + "MessageID")?.Value is { } messageId)
        {
            yield return new XElement(SoapNamespaces.Addressing + "RelatesTo", messageId);
        }
    }

    private static XElement Fault(SoapFaultException fault, XNamespace envelopeNs, XNamespace service, bool soap12)
    {
        XElement? detail = fault.ValidationErrors is { } errors
            ? new XElement(
                service + "ValidationFault",
                new XAttribute("xmlns", service.NamespaceName),
                new XElement(service + "Errors", errors.Select(e => new XElement(
                    service + "ValidationError",
                    new XElement(service + "Code", e.Code),
                    new XElement(service + "Message", e.Message),
                    new XElement(service + "Severity", "Error"),
                    new XElement(service + "SubCode", new XAttribute(SoapNamespaces.Instance + "nil", "true")),
                    new XElement(service + "ValidationTarget", new XAttribute(SoapNamespaces.Instance + "nil", "true")),
                    new XElement(service + "Context", new XAttribute(SoapNamespaces.Instance + "nil", "true"))))))
            : null;
        if (!soap12)
        {
            var code = fault.Subcode is { } sub
                ? new XElement("faultcode", new XAttribute(XNamespace.Xmlns + "c", sub.Namespace), "c:" + sub.Name)
                : new XElement("faultcode", "s:" + (fault.Sender ? "Client" : "Server"));
            return new XElement(
                envelopeNs + "Fault",
                code,
                new XElement("faultstring", new XAttribute(XNamespace.Xml + "lang", "en-AU"), fault.Message),
                detail is null ? null : new XElement("detail", detail));
        }

        var value = new XElement(envelopeNs + "Value", "s:" + (fault.Sender ? "Sender" : "Receiver"));
        return new XElement(
            envelopeNs + "Fault",
            new XElement(
                envelopeNs + "Code",
                value,
                fault.Subcode is { } s12
                    ? new XElement(envelopeNs + "Subcode", new XElement(envelopeNs + "Value", new XAttribute(XNamespace.Xmlns + "c", s12.Namespace), "c:" + s12.Name))
                    : null),
            new XElement(envelopeNs + "Reason", new XElement(envelopeNs + "Text", new XAttribute(XNamespace.Xml + "lang", "en-AU"), fault.Message)),
            detail is null ? null : new XElement(envelopeNs + "Detail", detail));
    }

    [GeneratedRegex(@"^(?<svc>/Deewr\.Tga\.Webservices/(?<service>TrainingComponent|Organisation)Service(V(?<version>\d{1,2}))?\.svc)(/(?<binding>[A-Za-z0-9]+))?/?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Route();

    [GeneratedRegex(@"action\s*=\s*""?(?<action>[^"";]+)""?", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex ActionParameter();
}
