namespace Rtgf.CustomHandler.Catalog;

/// <summary>An Azure Storage queue trigger.</summary>
public sealed record QueueTrigger(string QueueName, string Connection = QueueTrigger.DefaultConnection) : FunctionTrigger("message"), IQueueBinding
{
    /// <summary>
    /// Our data's storage connection (<c>Storage</c>, or identity-based <c>Storage__queueServiceUri</c>…), the one the app's
    /// stores read too; <c>AzureWebJobsStorage</c> stays the host's own (timers, leases).
    /// </summary>
    public const string DefaultConnection = "Storage";

    public override string BindingType => "queueTrigger";
}
