using Rtgf.FunctionsHost.Rpc;

namespace Rtgf.FunctionsHost.Functions;

/// <summary>A function the worker indexed and loaded: its id (used in every invocation), name and bindings.</summary>
public sealed class HostedFunction
{
    private HostedFunction(string id, string name, IReadOnlyList<HostedBinding> bindings, RpcFunctionMetadata metadata)
    {
        Id = id;
        Name = name;
        Bindings = bindings;
        Metadata = metadata;
        Trigger = bindings.SingleOrDefault(b => b.IsTrigger) ?? throw new FormatException($"Function '{name}' has no trigger binding.");
    }

    public string Id { get; }

    public string Name { get; }

    public IReadOnlyList<HostedBinding> Bindings { get; }

    public HostedBinding Trigger { get; }

    /// <summary>Output bindings other than the HTTP response (queue outputs, <c>$return</c> included).</summary>
    public IEnumerable<HostedBinding> Outputs => Bindings.Where(b => b.IsOutput && !b.Is("http"));

    public bool IsHttp => Trigger.Is("httpTrigger");

    public bool IsTimer => Trigger.Is("timerTrigger");

    public bool IsQueue => Trigger.Is("queueTrigger");

    /// <summary>The metadata as the worker sent it; the host sends it back in the function's load request.</summary>
    internal RpcFunctionMetadata Metadata { get; }

    internal static HostedFunction From(RpcFunctionMetadata metadata)
    {
        var bindings = metadata.RawBindings.Select(HostedBinding.Parse).ToList();
        var id = metadata.FunctionId is { Length: > 0 } given ? given : metadata.Name;
        return new HostedFunction(id, metadata.Name, bindings, metadata);
    }

    public override string ToString() => Name;
}
