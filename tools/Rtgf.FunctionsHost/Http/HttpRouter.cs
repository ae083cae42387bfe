using Microsoft.AspNetCore.Routing;
using Rtgf.FunctionsHost.Functions;

namespace Rtgf.FunctionsHost.Http;

/// <summary>Which HTTP function a request is for, as the host decides before it forwards anything.</summary>
public sealed class HttpRouter
{
    private readonly IReadOnlyList<HttpRoute> _routes;

    public HttpRouter(IEnumerable<HostedFunction> functions, string routePrefix)
    {
        ArgumentNullException.ThrowIfNull(functions);
        _routes = [.. functions.Where(f => f.IsHttp).Select(f => new HttpRoute(f, routePrefix)).OrderBy(r => r.Precedence).ThenBy(r => r.Template, StringComparer.Ordinal)];
    }

    /// <summary>The routes, most specific first: <c>(function, template, methods)</c>.</summary>
    public IEnumerable<(HostedFunction Function, string Template, IReadOnlyList<string> Methods)> Routes => _routes.Select(r => (r.Function, r.Template, r.Methods));

    /// <summary>
    /// The function for <paramref name="method"/> and <paramref name="path"/>; when a route matches the path but not the
    /// method, <see cref="HttpMatch.Function"/> is null and <see cref="HttpMatch.Allowed"/> lists what would be accepted (a 405).
    /// </summary>
    public HttpMatch? Match(string method, string path)
    {
        ArgumentNullException.ThrowIfNull(method);
        ArgumentNullException.ThrowIfNull(path);
        List<string>? allowed = null;
        foreach (var route in _routes)
        {
            if (route.Match(path) is not { } values)
            {
                continue;
            }

            if (route.Allows(method))
            {
                return new HttpMatch(route.Function, values, []);
            }

            (allowed ??= []).AddRange(route.Methods);
        }

        return allowed is null ? null : new HttpMatch(null, new RouteValueDictionary(), [.. allowed.Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)]);
    }
}

/// <summary>A routing decision: the function and its route values, or (no function) the methods the path accepts.</summary>
public sealed record HttpMatch(HostedFunction? Function, RouteValueDictionary Values, IReadOnlyList<string> Allowed);
