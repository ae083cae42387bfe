namespace Rtgf.Compiler.Policy;

/// <summary>The policy matrix is not valid; the message names the family, source or member at fault.</summary>
public sealed class PolicyMatrixException : Exception
{
    public PolicyMatrixException()
    {
    }

    public PolicyMatrixException(string message)
        : base("Policy matrix: " + message)
    {
    }

    public PolicyMatrixException(string message, Exception innerException)
        : base("Policy matrix: " + message, innerException)
    {
    }
}
