namespace Rtgf.Functions.Verification;

/// <summary>The key set could not be read and there is no earlier one to serve: the verifier cannot give a verdict (503).</summary>
public sealed class KeySetUnavailableException : Exception
{
    public KeySetUnavailableException()
    {
    }

    public KeySetUnavailableException(string message)
        : base(message)
    {
    }

    public KeySetUnavailableException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
