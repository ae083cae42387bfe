namespace Rtgf.Ingestion.Outbound;

/// <summary>A request in a contract the pipeline translates (the <c>jsa-proxy</c> POST) that cannot be mapped; nothing was sent.</summary>
public sealed class ContractTranslationException : Exception
{
    public ContractTranslationException()
    {
    }

    public ContractTranslationException(string message)
        : base(message)
    {
    }

    public ContractTranslationException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
