namespace Rtgf.Ingestion.Outbound;

/// <summary>Per-request settings the outbound pipeline reads from <see cref="HttpRequestMessage.Options"/>.</summary>
public static class OutboundRequest
{
    /// <summary>The operation name for logs and metrics (e.g. <c>GetDetails</c>); defaults to the method and path.</summary>
    public static readonly HttpRequestOptionsKey<string> Operation = new("rtgf.operation");

    /// <summary>Marks a non-idempotent request (e.g. a SOAP read sent as POST) as safe to retry.</summary>
    public static readonly HttpRequestOptionsKey<bool> RetrySafe = new("rtgf.retry-safe");

    /// <summary>A correlation id to send instead of the current activity's trace id.</summary>
    public static readonly HttpRequestOptionsKey<string> CorrelationId = new("rtgf.correlation-id");

    /// <summary>Answers that are permanent failures although their status looks transient (e.g. a SOAP fault on HTTP 500).</summary>
    public static readonly HttpRequestOptionsKey<Func<HttpResponseMessage, bool>> PermanentFailure = new("rtgf.permanent-failure");

    public const string CorrelationHeader = "x-correlation-id";

    /// <summary>Names the operation and, for reads sent as POST, marks the request retry-safe.</summary>
    public static HttpRequestMessage WithOperation(this HttpRequestMessage request, string operation, bool retrySafe = false)
    {
        request.Options.Set(Operation, operation);
        if (retrySafe)
        {
            request.Options.Set(RetrySafe, true);
        }

        return request;
    }
}
