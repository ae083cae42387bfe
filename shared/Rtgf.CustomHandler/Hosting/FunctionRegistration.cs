using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Invocation;

namespace Rtgf.CustomHandler.Hosting;

/// <summary>Adds functions to the catalogue: each definition once, with its handler where the host sends envelopes.</summary>
public static class FunctionRegistration
{
    /// <summary>A function the host invokes with envelopes (timer, queue, or HTTP with extra outputs), run by <typeparamref name="THandler"/>.</summary>
    public static IServiceCollection AddFunction<THandler>(this IServiceCollection services, FunctionDefinition function)
        where THandler : class, IFunctionHandler
    {
        RequireEnvelopes(function);
        AddCatalogue(services).AddSingleton(function);
        return services.AddKeyedTransient<IFunctionHandler, THandler>(function.Name);
    }

    /// <summary>A function the host invokes with envelopes, run by a delegate.</summary>
    public static IServiceCollection AddFunction(this IServiceCollection services, FunctionDefinition function, Func<FunctionContext, Task> handler)
    {
        RequireEnvelopes(function);
        ArgumentNullException.ThrowIfNull(handler);
        AddCatalogue(services).AddSingleton(function);
        return services.AddKeyedSingleton<IFunctionHandler>(function.Name, new DelegateFunctionHandler(handler));
    }

    /// <summary>
    /// A forwarded HTTP function: the host passes its requests through unchanged and ASP.NET Core routing
    /// handles them; map its endpoints with <see cref="CustomHandlerEndpoints.MapFunction"/>.
    /// </summary>
    public static IServiceCollection AddHttpFunction(this IServiceCollection services, FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (!function.IsForwardedHttp)
        {
            throw new ArgumentException($"'{function.Name}' is not a forwarded HTTP function (an HTTP trigger and one HTTP output); register it with AddFunction.", nameof(function));
        }

        return AddCatalogue(services).AddSingleton(function);
    }

    private static IServiceCollection AddCatalogue(IServiceCollection services)
    {
        services.TryAddSingleton(sp => new FunctionCatalog(sp.GetServices<FunctionDefinition>()));
        return services;
    }

    private static void RequireEnvelopes(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (!function.ReceivesEnvelopes)
        {
            throw new ArgumentException($"'{function.Name}' is a forwarded HTTP function; register it with AddHttpFunction and map its routes.", nameof(function));
        }
    }

    private sealed class DelegateFunctionHandler(Func<FunctionContext, Task> handler) : IFunctionHandler
    {
        public Task InvokeAsync(FunctionContext context) => handler(context);
    }
}
