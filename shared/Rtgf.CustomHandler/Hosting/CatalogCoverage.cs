using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Rtgf.CustomHandler.Catalog;

namespace Rtgf.CustomHandler.Hosting;

/// <summary>
/// Checks that the catalogue and the app's endpoints agree: every function is reachable, and every endpoint
/// is reachable through a function (an endpoint outside every function's route would never be called in Azure).
/// </summary>
public static class CatalogCoverage
{
    public static IReadOnlyList<string> Check(FunctionCatalog catalog, IEnumerable<Endpoint> endpoints)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        var routeEndpoints = endpoints.OfType<RouteEndpoint>().ToList();
        var problems = new List<string>();

        foreach (var endpoint in routeEndpoints)
        {
            if (endpoint.Metadata.GetMetadata<ReadinessEndpointMetadata>() is not null)
            {
                continue;
            }

            var pattern = endpoint.RoutePattern.RawText ?? endpoint.DisplayName ?? "?";
            if (endpoint.Metadata.GetMetadata<FunctionEndpointMetadata>()?.Function is not { } function)
            {
                problems.Add($"endpoint '{pattern}' belongs to no function: the host would never route a request to it");
                continue;
            }

            if (!catalog.TryGet(function.Name, out var registered) || registered != function)
            {
                problems.Add($"endpoint '{pattern}' names function '{function.Name}', which is not in the catalogue");
                continue;
            }

            if (function.IsForwardedHttp && function.Trigger is HttpTrigger http)
            {
                if (!IsUnder(pattern, http.PathPrefix))
                {
                    problems.Add($"endpoint '{pattern}' lies outside the route '{http.Route}' of function '{function.Name}'");
                }

                // The host forwards only the methods the trigger lists (all when it lists none).
                var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? [];
                var refused = http.Methods.Count == 0 ? [] : methods.Where(m => !http.Methods.Contains(m, StringComparer.OrdinalIgnoreCase)).ToList();
                if (refused.Count > 0)
                {
                    problems.Add($"endpoint '{pattern}' answers {string.Join(", ", refused)}, which function '{function.Name}' does not accept");
                }
            }
        }

        foreach (var function in catalog)
        {
            var reached = routeEndpoints.Any(e => e.Metadata.GetMetadata<FunctionEndpointMetadata>()?.Function.Name == function.Name);
            if (!reached)
            {
                problems.Add(function.IsForwardedHttp
                    ? $"function '{function.Name}' has no endpoints: map them with MapFunction"
                    : $"function '{function.Name}' has no invocation endpoint: call MapCustomHandler");
            }
        }

        return problems;
    }

    private static bool IsUnder(string pattern, string prefix)
    {
        var path = "/" + pattern.TrimStart('/');
        return string.Equals(path.TrimEnd('/'), prefix, StringComparison.OrdinalIgnoreCase)
            || path.StartsWith(prefix.TrimEnd('/') + "/", StringComparison.OrdinalIgnoreCase);
    }
}
