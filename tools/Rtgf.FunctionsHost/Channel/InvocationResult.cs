using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Channel;

/// <summary>What the worker answered to one invocation: its status, any exception, the <c>$return</c> value and named outputs.</summary>
public sealed record InvocationResult(
    string InvocationId,
    StatusResult.Types.Status Status,
    RpcException? Exception,
    TypedData? ReturnValue,
    IReadOnlyList<ParameterBinding> Outputs)
{
    public bool Succeeded => Status == StatusResult.Types.Status.Success;

    /// <summary>One line for the console: the exception's type and message, without the stack.</summary>
    public string? Error => Exception is null ? null : string.IsNullOrEmpty(Exception.Type) ? Exception.Message : $"{Exception.Type}: {Exception.Message}";

    internal static InvocationResult From(InvocationResponse response) => new(
        response.InvocationId,
        response.Result?.Status ?? StatusResult.Types.Status.Failure,
        response.Result?.Exception,
        response.ReturnValue,
        [.. response.OutputData]);
}
