namespace Rtgf.CustomHandler.Catalog;

/// <summary>
/// An HTTP trigger: a route template (no leading slash; the host's route prefix is empty), the key it
/// needs, and the methods it accepts (empty means all).
/// </summary>
public sealed record HttpTrigger(string Route, AuthorizationLevel AuthLevel, IReadOnlyList<string> Methods) : FunctionTrigger("req")
{
    public override string BindingType => "httpTrigger";

    /// <summary>
    /// The literal path every URL of this function starts with: the route up to its first parameter
    /// (<c>verify/{*path}</c> gives <c>/verify</c>).
    /// </summary>
    public string PathPrefix
    {
        get
        {
            var brace = Route.IndexOf('{', StringComparison.Ordinal);
            var literal = brace < 0 ? Route : Route[..brace];
            return "/" + literal.TrimEnd('/');
        }
    }
}
