using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Template;
using Rtgf.FunctionsHost.Functions;

namespace Rtgf.FunctionsHost.Http;

/// <summary>One HTTP function's route: <c>{routePrefix}/{route ?? name}</c> and the methods it accepts (none listed: all).</summary>
internal sealed class HttpRoute
{
    private readonly TemplateMatcher _matcher;

    public HttpRoute(HostedFunction function, string routePrefix)
    {
        Function = function;
        var route = function.Trigger.Property("route") is { Length: > 0 } given ? given : function.Name;
        Template = string.IsNullOrEmpty(routePrefix) ? route : routePrefix.TrimEnd('/') + "/" + route;
        var parsed = TemplateParser.Parse(Template);
        _matcher = new TemplateMatcher(parsed, []);
        Precedence = RoutePrecedence.ComputeInbound(parsed);
        Methods = [.. function.Trigger.Strings("methods").Select(m => m.ToUpperInvariant()).Order(StringComparer.Ordinal)];
    }

    public HostedFunction Function { get; }

    public string Template { get; }

    /// <summary>Lower is more specific: literal segments win over parameters, parameters over catch-alls.</summary>
    public decimal Precedence { get; }

    public IReadOnlyList<string> Methods { get; }

    public bool Allows(string method) => Methods.Count == 0 || Methods.Contains(method.ToUpperInvariant(), StringComparer.Ordinal);

    public RouteValueDictionary? Match(string path)
    {
        var values = new RouteValueDictionary();
        return _matcher.TryMatch(path, values) ? values : null;
    }
}
