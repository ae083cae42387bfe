using System.Collections.Concurrent;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Hosting;

namespace Rtgf.Functions.Tests.Contract;

/// <summary>What the contract functions saw, keyed by function name.</summary>
public sealed class ContractProbe
{
    public ConcurrentDictionary<string, object> Seen { get; } = new();
}

/// <summary>
/// Functions of every kind the host invokes with envelopes, added to the real app for the contract tests.
/// Each records what it was given, so a test can check the app decoded the host's envelope correctly.
/// </summary>
internal static class ContractFunctions
{
    public static readonly FunctionDefinition Timer = FunctionDefinition.Timer("contract-timer", "0 */5 * * * *", new ServiceBusOutput("next", "contract-next"));
    public static readonly FunctionDefinition ServiceBus = FunctionDefinition.ServiceBus("contract-bus", "contract-in", new QueueOutput("audit", "contract-audit"));
    public static readonly FunctionDefinition StorageQueue = FunctionDefinition.StorageQueue("contract-queue", "contract-storage");
    public static readonly FunctionDefinition Http = FunctionDefinition.HttpWithOutputs("contract-http", "contract/{id}", AuthorizationLevel.Function, ["post"], new QueueOutput("audit", "contract-audit"));
    public static readonly FunctionDefinition Failing = FunctionDefinition.ServiceBus("contract-fail", "contract-fail");
    public static readonly FunctionDefinition BadOutput = FunctionDefinition.ServiceBus("contract-bad-output", "contract-bad");
    public static readonly FunctionDefinition Strict = FunctionDefinition.ServiceBus("contract-strict", "contract-strict");

    public static void Add(IServiceCollection services, ContractProbe probe)
    {
        services.AddFunction(Timer, context =>
        {
            probe.Seen[Timer.Name] = context.Timer;
            context.Outputs.Add("next", new { fired = true, pastDue = context.Timer.IsPastDue });
            context.Log("timer ran");
            return Task.CompletedTask;
        });
        services.AddFunction(ServiceBus, context =>
        {
            probe.Seen[ServiceBus.Name] = context.Message;
            context.Outputs.Add("audit", new { received = context.Message.Body });
            return Task.CompletedTask;
        });
        services.AddFunction(StorageQueue, context =>
        {
            probe.Seen[StorageQueue.Name] = context.Message;
            return Task.CompletedTask;
        });
        services.AddFunction(Http, context =>
        {
            var request = context.HttpRequest;
            probe.Seen[Http.Name] = request;
            context.Outputs.Add("audit", new { id = request.Params["id"] });
            context.Outputs.SetHttpResponse(202, $"{{\"accepted\":\"{request.Params["id"]}\"}}");
            return Task.CompletedTask;
        });
        services.AddFunction(Failing, _ => throw new InvalidOperationException("secret connection string Password=hunter2 must not leak"));
        services.AddFunction(BadOutput, context =>
        {
            context.Outputs.Add("nope", "test");
            return Task.CompletedTask;
        });
        services.AddFunction(Strict, context =>
        {
            probe.Seen[Strict.Name] = context.Message.Deserialize(ContractJson.Default.StrictMessage);
            return Task.CompletedTask;
        });
    }
}
