namespace Rtgf.CustomHandler.Catalog;

/// <summary>Which key the Functions host requires before an HTTP request reaches the handler.</summary>
public enum AuthorizationLevel
{
    /// <summary>No key.</summary>
    Anonymous,

    /// <summary>A function key or host key (<c>x-functions-key</c> header or <c>code</c> query).</summary>
    Function,

    /// <summary>The master key.</summary>
    Admin,
}
