namespace Rtgf.CustomHandler.Catalog;

/// <summary>Messages to a Service Bus queue (body only: the binding carries no message properties).</summary>
public sealed record ServiceBusOutput(string Name, string QueueName, string Connection = ServiceBusTrigger.DefaultConnection) : OutputBinding(Name), IQueueBinding
{
    public override string BindingType => "serviceBus";
}
