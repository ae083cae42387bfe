namespace Rtgf.CustomHandler.Catalog;

/// <summary>An Azure Storage queue trigger.</summary>
public sealed record QueueTrigger(string QueueName, string Connection = QueueTrigger.DefaultConnection) : FunctionTrigger("message"), IQueueBinding
{
    public const string DefaultConnection = "AzureWebJobsStorage";

    public override string BindingType => "queueTrigger";
}
