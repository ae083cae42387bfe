namespace Rtgf.UpstreamSimulator.Tga;

/// <summary>
/// A SOAP fault to send back. the subcode is the WCF-style qualified code (e.g. the WS-Security
/// <c>InvalidSecurity</c>); validation errors become a <c>ValidationFault</c> detail, as TGA sends.
/// </summary>
internal sealed class SoapFaultException(bool sender, (string Namespace, string Name)? subcode, string reason, IReadOnlyList<(string Code, string Message)>? validationErrors = null)
    : Exception(reason)
{
    public bool Sender { get; } = sender;

    public (string Namespace, string Name)? Subcode { get; } = subcode;

    public IReadOnlyList<(string Code, string Message)>? ValidationErrors { get; } = validationErrors;

    public static SoapFaultException Validation(string code, string message) => new(true, null, message, [(code, message)]);

    public static SoapFaultException InvalidSecurity() =>
        new(true, (SoapNamespaces.Wsse.NamespaceName, "InvalidSecurity"), "An error occurred when verifying security for the message.");
}
