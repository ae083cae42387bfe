namespace Rtgf.Ingestion.Tga;

/// <summary>TGA answered with a SOAP fault: the fault code, its reason and any <c>ValidationFault</c> errors.</summary>
public sealed class TgaSoapFaultException : Exception
{
    public TgaSoapFaultException()
        : this(string.Empty, string.Empty, [])
    {
    }

    public TgaSoapFaultException(string message)
        : this(string.Empty, message, [])
    {
    }

    public TgaSoapFaultException(string message, Exception innerException)
        : base(message, innerException)
    {
        FaultCode = string.Empty;
        Reason = message;
        Errors = [];
    }

    public TgaSoapFaultException(string faultCode, string reason, IReadOnlyList<TgaValidationError> errors)
        : base($"TGA SOAP fault {faultCode}: {reason}" + (errors.Count > 0 ? $" ({string.Join("; ", errors.Select(e => $"{e.Code}: {e.Message}"))})" : string.Empty))
    {
        FaultCode = faultCode;
        Reason = reason;
        Errors = errors;
    }

    public string FaultCode { get; }

    public string Reason { get; }

    public IReadOnlyList<TgaValidationError> Errors { get; }
}
