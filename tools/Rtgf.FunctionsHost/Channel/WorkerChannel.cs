using System.Collections.Concurrent;
using System.Threading.Channels;
using Google.Protobuf.WellKnownTypes;
using Grpc.Core;
using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Channel;

/// <summary>
/// One worker's event stream, as the Functions host drives it (host <c>GrpcWorkerChannel</c>): init, metadata, one load per
/// function, then invocations. Every outbound message goes through one writer loop (a gRPC stream writer is not
/// thread-safe); the read loop matches responses to their requests.
/// </summary>
public sealed class WorkerChannel
{
    /// <summary>The version we claim to the worker (2.52 ignores it; kept in the host's format).</summary>
    public const string HostVersion = "4.1037.0";

    private readonly WorkerLaunch _launch;
    private readonly Action<RpcLog> _log;
    private readonly Channel<StreamingMessage> _outbound = System.Threading.Channels.Channel.CreateUnbounded<StreamingMessage>(new UnboundedChannelOptions { SingleReader = true });
    private readonly ConcurrentDictionary<string, TaskCompletionSource<InvocationResponse>> _invocations = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<FunctionLoadResponse>> _loads = new(StringComparer.Ordinal);
    private readonly TaskCompletionSource<WorkerInitResponse> _init = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<FunctionMetadataResponse> _metadata = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<WorkerChannel> _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private IReadOnlyList<HostedFunction> _functions = [];

    internal WorkerChannel(WorkerLaunch launch, Action<RpcLog> log)
    {
        _launch = launch;
        _log = log;
    }

    public string WorkerId => _launch.WorkerId;

    /// <summary>The functions the worker indexed and loaded, in the order it listed them.</summary>
    public IReadOnlyList<HostedFunction> Functions => _functions;

    /// <summary>The capabilities the worker announced (<c>HttpUri</c> with the ASP.NET Core integration).</summary>
    public IReadOnlyDictionary<string, string> Capabilities { get; private set; } = new Dictionary<string, string>();

    /// <summary>Where the worker's own HTTP server listens (the ASP.NET Core integration), if it has one.</summary>
    public Uri? HttpUri => Capabilities.TryGetValue("HttpUri", out var uri) && Uri.TryCreate(uri, UriKind.Absolute, out var parsed) ? parsed : null;

    public string? WorkerVersion { get; private set; }

    /// <summary>Completes when every function is loaded; faults when the handshake fails or the stream ends first.</summary>
    public Task<WorkerChannel> Ready => _ready.Task;

    /// <summary>Completes when the worker's stream has ended.</summary>
    public Task Closed => _closed.Task;

    /// <summary>A sampled W3C <c>traceparent</c> derived from <paramref name="invocationId"/> (a new root trace per invocation).</summary>
    public static string InvocationTraceParent(string invocationId)
    {
        var hash = System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(invocationId));
        return string.Concat("00-", Convert.ToHexStringLower(hash.AsSpan(0, 16)), "-", Convert.ToHexStringLower(hash.AsSpan(16, 8)), "-01");
    }

    public HostedFunction? Find(string name) => _functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));

    /// <summary>Sends the invocation and waits for its response. Cancelling sends <c>InvocationCancel</c> and stops waiting.</summary>
    public async Task<InvocationResult> InvokeAsync(InvocationRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (string.IsNullOrEmpty(request.InvocationId))
        {
            throw new ArgumentException("An invocation needs an id.", nameof(request));
        }

        // The worker dereferences the trace context of every invocation.
        request.TraceContext ??= new RpcTraceContext();
        if (string.IsNullOrEmpty(request.TraceContext.TraceParent))
        {
            // The real host runs every invocation in a trace of its own and sends it (a timer's or queue message's too), so
            // the worker's spans always have a recorded parent; ours derives one from the invocation id.
            request.TraceContext.TraceParent = InvocationTraceParent(request.InvocationId);
        }

        var response = new TaskCompletionSource<InvocationResponse>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_invocations.TryAdd(request.InvocationId, response))
        {
            throw new InvalidOperationException($"Invocation {request.InvocationId} is already running.");
        }

        if (_closed.Task.IsCompleted || !_outbound.Writer.TryWrite(new StreamingMessage { InvocationRequest = request }))
        {
            _invocations.TryRemove(request.InvocationId, out _);
            throw new WorkerUnavailableException($"The worker {WorkerId} has gone; invocation {request.InvocationId} was not sent.");
        }

        try
        {
            return InvocationResult.From(await response.Task.WaitAsync(cancellationToken).ConfigureAwait(false));
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            _invocations.TryRemove(request.InvocationId, out _);
            _outbound.Writer.TryWrite(new StreamingMessage { InvocationCancel = new InvocationCancel { InvocationId = request.InvocationId, GracePeriod = Duration.FromTimeSpan(TimeSpan.Zero) } });
            throw;
        }
    }

    /// <summary>Asks the worker to stop (<c>WorkerTerminate</c>). The worker does not exit on its own when the stream drops: the process owner ends it.</summary>
    public void Terminate(TimeSpan gracePeriod) =>
        _outbound.Writer.TryWrite(new StreamingMessage { WorkerTerminate = new WorkerTerminate { GracePeriod = Duration.FromTimeSpan(gracePeriod) } });

    /// <summary>Runs the stream: the handshake, then dispatch, until the worker hangs up or the host stops.</summary>
    internal async Task RunAsync(IAsyncStreamReader<StreamingMessage> requests, IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        var writing = WriteAsync(responses, cancellationToken);
        var handshake = HandshakeAsync(cancellationToken);
        try
        {
            while (await requests.MoveNext(cancellationToken).ConfigureAwait(false))
            {
                Dispatch(requests.Current);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
        }
        catch (IOException)
        {
            // The worker process went away mid-message.
        }
        finally
        {
            // Complete the writer first: from then on no invocation can be queued, so Close fails every one that was.
            _outbound.Writer.TryComplete();
            Close(new WorkerUnavailableException($"The worker {WorkerId} closed its stream."));
            await writing.ConfigureAwait(false);
            await handshake.ConfigureAwait(false);
        }
    }

    private async Task HandshakeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var init = new WorkerInitRequest { HostVersion = HostVersion, WorkerDirectory = _launch.WorkerDirectory, FunctionAppDirectory = _launch.FunctionAppDirectory };
            Send(new StreamingMessage { WorkerInitRequest = init });
            var initialised = await _init.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Check(initialised.Result, "initialise");
            Capabilities = new Dictionary<string, string>(initialised.Capabilities, StringComparer.Ordinal);
            WorkerVersion = initialised.WorkerVersion;

            Send(new StreamingMessage { FunctionsMetadataRequest = new FunctionsMetadataRequest { FunctionAppDirectory = _launch.FunctionAppDirectory } });
            var metadata = await _metadata.Task.WaitAsync(cancellationToken).ConfigureAwait(false);
            Check(metadata.Result, "index its functions");
            if (metadata.UseDefaultMetadataIndexing)
            {
                throw new WorkerHandshakeException($"Worker {WorkerId} asked the host to index functions.metadata itself; this host needs worker indexing (worker.config.json workerIndexing: true).");
            }

            // The ids come from this one response: the worker indexes with stable ids and expects them back unchanged.
            var functions = metadata.FunctionMetadataResults.Select(HostedFunction.From).ToList();
            var loads = functions.Select(f => _loads.GetOrAdd(f.Id, _ => new TaskCompletionSource<FunctionLoadResponse>(TaskCreationOptions.RunContinuationsAsynchronously)).Task).ToList();
            foreach (var function in functions)
            {
                Send(new StreamingMessage { FunctionLoadRequest = new FunctionLoadRequest { FunctionId = function.Id, Metadata = function.Metadata } });
            }

            var loaded = await Task.WhenAll(loads).WaitAsync(cancellationToken).ConfigureAwait(false);
            foreach (var (function, response) in functions.Zip(loaded))
            {
                Check(response.Result, $"load function '{function.Name}'");
            }

            _functions = functions;
            _ready.TrySetResult(this);
        }
        catch (Exception exception) when (exception is WorkerHandshakeException or WorkerUnavailableException or OperationCanceledException)
        {
            _ready.TrySetException(exception);
        }
        catch (Exception exception) when (exception is FormatException or System.Text.Json.JsonException or InvalidOperationException or ArgumentException)
        {
            // Metadata this host cannot read (a function without exactly one trigger, bad raw bindings): say so at once.
            _ready.TrySetException(new WorkerHandshakeException($"Worker {WorkerId} described its functions in a way this host cannot read: {exception.Message}"));
        }
    }

    private void Check(StatusResult? result, string step)
    {
        if (result?.Status != StatusResult.Types.Status.Success)
        {
            throw new WorkerHandshakeException($"Worker {WorkerId} could not {step}: {result?.Exception?.Message ?? result?.Result ?? "no status"}");
        }
    }

    private void Dispatch(StreamingMessage message)
    {
        switch (message.ContentCase)
        {
            case StreamingMessage.ContentOneofCase.RpcLog:
                _log(message.RpcLog);
                break;
            case StreamingMessage.ContentOneofCase.WorkerInitResponse:
                _init.TrySetResult(message.WorkerInitResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionMetadataResponse:
                _metadata.TrySetResult(message.FunctionMetadataResponse);
                break;
            case StreamingMessage.ContentOneofCase.FunctionLoadResponse:
                _loads.GetOrAdd(message.FunctionLoadResponse.FunctionId, _ => new TaskCompletionSource<FunctionLoadResponse>(TaskCreationOptions.RunContinuationsAsynchronously))
                    .TrySetResult(message.FunctionLoadResponse);
                break;
            case StreamingMessage.ContentOneofCase.InvocationResponse:
                if (_invocations.TryRemove(message.InvocationResponse.InvocationId, out var pending))
                {
                    pending.TrySetResult(message.InvocationResponse);
                }

                break;
            case StreamingMessage.ContentOneofCase.WorkerStatusRequest:
                Send(new StreamingMessage { RequestId = message.RequestId, WorkerStatusResponse = new WorkerStatusResponse() });
                break;
            default:
                // Heartbeats and messages this host does not use: proto3 lets both sides ignore them.
                break;
        }
    }

    private void Send(StreamingMessage message)
    {
        if (!_outbound.Writer.TryWrite(message))
        {
            throw new WorkerUnavailableException($"The worker {WorkerId} has gone.");
        }
    }

    private async Task WriteAsync(IServerStreamWriter<StreamingMessage> responses, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var message in _outbound.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                await responses.WriteAsync(message, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (Exception exception) when (exception is OperationCanceledException or InvalidOperationException or IOException)
        {
            // The stream ended under us. Nothing queued after this can be sent: fail it now rather than let it wait.
            _outbound.Writer.TryComplete();
            Close(new WorkerUnavailableException($"The stream to worker {WorkerId} failed: {exception.Message}"));
        }
    }

    private void Close(Exception reason)
    {
        _init.TrySetException(reason);
        _metadata.TrySetException(reason);
        _ready.TrySetException(reason);
        foreach (var load in _loads.Values)
        {
            load.TrySetException(reason);
        }

        foreach (var key in _invocations.Keys)
        {
            if (_invocations.TryRemove(key, out var pending))
            {
                pending.TrySetException(reason);
            }
        }

        _closed.TrySetResult();
    }
}
