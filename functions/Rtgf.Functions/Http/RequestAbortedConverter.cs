using Microsoft.Azure.Functions.Worker;
using Microsoft.Azure.Functions.Worker.Converters;

namespace Rtgf.Functions.Http;

/// <summary>
/// The <see cref="CancellationToken"/> an HTTP function is given: the invocation's, linked with the request's
/// <see cref="HttpContext.RequestAborted"/>, so a client that disconnects stops the work (minimal APIs bound the request's
/// token; the worker's own converter gives the invocation's only). Registered first, ahead of the worker's converters;
/// other triggers fall through to them.
/// </summary>
internal sealed class RequestAbortedConverter : IInputConverter
{
    public ValueTask<ConversionResult> ConvertAsync(ConverterContext context)
    {
        if (context.TargetType != typeof(CancellationToken) || context.FunctionContext.GetHttpContext() is not { } http)
        {
            return ValueTask.FromResult(ConversionResult.Unhandled());
        }

        // Inputs are bound once per invocation; the request disposes the link when it completes.
#pragma warning disable CA2000 // Ownership passes to the response (RegisterForDispose).
        var linked = CancellationTokenSource.CreateLinkedTokenSource(context.FunctionContext.CancellationToken, http.RequestAborted);
#pragma warning restore CA2000
        http.Response.RegisterForDispose(linked);
        return ValueTask.FromResult(ConversionResult.Success(linked.Token));
    }
}
