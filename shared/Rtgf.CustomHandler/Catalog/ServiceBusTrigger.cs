namespace Rtgf.CustomHandler.Catalog;

/// <summary>A Service Bus queue trigger (Storage queues of the same name carry the messages in local runs).</summary>
public sealed record ServiceBusTrigger(string QueueName, string Connection = ServiceBusTrigger.DefaultConnection) : FunctionTrigger("message"), IQueueBinding
{
    /// <summary>App-setting prefix of the Service Bus connection (<c>ServiceBusConnection__fullyQualifiedNamespace</c> in Azure).</summary>
    public const string DefaultConnection = "ServiceBusConnection";

    public override string BindingType => "serviceBusTrigger";
}
