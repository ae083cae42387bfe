namespace Rtgf.Functions.Billing.QuickBooks;

/// <summary>
/// QuickBooks refused or failed a call (after the outbound pipeline's retries): the HTTP status, the Fault's type and
/// code, and Intuit's <c>intuit_tid</c> for their support. Never carries a token.
/// </summary>
public class QuickBooksException(string message, int status = 0, string? faultCode = null, string? intuitTid = null, Exception? inner = null) : Exception(message, inner)
{
    public QuickBooksException()
        : this("QuickBooks failed.")
    {
    }

    public QuickBooksException(string message)
        : this(message, 0)
    {
    }

    public QuickBooksException(string message, Exception inner)
        : this(message, 0, null, null, inner)
    {
    }

    public int Status { get; } = status;

    public string? FaultCode { get; } = faultCode;

    public string? IntuitTid { get; } = intuitTid;
}

/// <summary>
/// QuickBooks will not give us an access token: the refresh token in Key Vault was refused (<c>invalid_grant</c>:
/// revoked, expired, or already rotated by a refresh whose answer was lost), or the app's credentials were. Nothing
/// was changed; an operator reconnects QuickBooks (docs/runbooks/webhooks-and-billing.md).
/// </summary>
public sealed class QuickBooksAuthorizationException : QuickBooksException
{
    public QuickBooksAuthorizationException()
    {
    }

    public QuickBooksAuthorizationException(string message)
        : base(message)
    {
    }

    public QuickBooksAuthorizationException(string message, Exception inner)
        : base(message, inner)
    {
    }

    public QuickBooksAuthorizationException(string message, int status, string? error)
        : base(message, status, error)
    {
    }
}
