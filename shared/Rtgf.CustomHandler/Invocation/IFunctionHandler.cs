namespace Rtgf.CustomHandler.Invocation;

/// <summary>
/// Runs one function for one invocation. Throwing fails the invocation (the handler answers non-2xx, the
/// host retries and finally dead-letters); outputs are applied only when it returns normally.
/// Invocations are delivered at least once: an implementation must be idempotent.
/// </summary>
public interface IFunctionHandler
{
    Task InvokeAsync(FunctionContext context);
}
