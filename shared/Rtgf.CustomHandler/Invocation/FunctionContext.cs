using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Rtgf.CustomHandler.Catalog;

namespace Rtgf.CustomHandler.Invocation;

/// <summary>One invocation: the trigger's data, typed; where outputs go; log lines returned to the host.</summary>
public sealed class FunctionContext
{
    private readonly List<string> _logs = [];
    private TimerInfo? _timer;
    private TriggerMessage? _message;
    private HttpRequestData? _http;

    internal FunctionContext(
        string invocationId,
        FunctionDefinition function,
        InvocationRequest request,
        IServiceProvider services,
        ILogger logger,
        JsonSerializerOptions serializerOptions,
        CancellationToken cancellationToken)
    {
        InvocationId = invocationId;
        Function = function;
        Request = request;
        Services = services;
        Logger = logger;
        Outputs = new FunctionOutputs(function, serializerOptions);
        CancellationToken = cancellationToken;
    }

    /// <summary>The host's invocation id (<c>X-Azure-Functions-InvocationId</c>).</summary>
    public string InvocationId { get; }

    public FunctionDefinition Function { get; }

    public InvocationRequest Request { get; }

    public IServiceProvider Services { get; }

    public ILogger Logger { get; }

    public FunctionOutputs Outputs { get; }

    public CancellationToken CancellationToken { get; }

    /// <summary>Lines returned in the response's <c>Logs</c> (the host writes them to the invocation's log).</summary>
    public IReadOnlyList<string> Logs => _logs;

    /// <summary>The value for a <c>$return</c> binding, if any.</summary>
    public JsonNode? ReturnValue { get; set; }

    /// <summary>The timer trigger's data.</summary>
    public TimerInfo Timer => _timer ??= Function.Trigger is TimerTrigger timer
        ? TimerInfo.From(Request.Trigger(timer.BindingName))
        : throw new InvalidOperationException($"Function '{Function.Name}' is not timer-triggered.");

    /// <summary>The triggering queue message (Service Bus or Storage).</summary>
    public TriggerMessage Message => _message ??= Function.Trigger switch
    {
        ServiceBusTrigger t => TriggerMessage.From(Request.Trigger(t.BindingName), Request.Metadata, isServiceBus: true),
        QueueTrigger t => TriggerMessage.From(Request.Trigger(t.BindingName), Request.Metadata, isServiceBus: false),
        _ => throw new InvalidOperationException($"Function '{Function.Name}' is not queue-triggered."),
    };

    /// <summary>The HTTP request of an envelope-delivered HTTP function.</summary>
    public HttpRequestData HttpRequest => _http ??= Function.Trigger is HttpTrigger http
        ? HttpRequestData.From(Request.Trigger(http.BindingName))
        : throw new InvalidOperationException($"Function '{Function.Name}' is not HTTP-triggered.");

    /// <summary>Logs at Information and returns the line to the host with the invocation.</summary>
    public void Log(string message)
    {
        _logs.Add(message);
#pragma warning disable CA2254 // The line is the message: it is returned verbatim to the host as well.
        Logger.LogInformation(message);
#pragma warning restore CA2254
    }
}
