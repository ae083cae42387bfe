namespace Rtgf.CustomHandler.Catalog;

/// <summary>Messages to an Azure Storage queue.</summary>
public sealed record QueueOutput(string Name, string QueueName, string Connection = QueueTrigger.DefaultConnection) : OutputBinding(Name), IQueueBinding
{
    public override string BindingType => "queue";
}
