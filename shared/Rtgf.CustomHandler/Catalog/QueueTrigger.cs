namespace Rtgf.CustomHandler.Catalog;

/// <summary>An Azure Storage queue trigger.</summary>
public sealed record QueueTrigger(string QueueName, string Connection = QueueTrigger.DefaultConnection) : FunctionTrigger("message"), IQueueBinding
{
    /// <summary>
    /// Our data's storage connection (<c>RtgfStorage</c>, or identity-based <c>RtgfStorage__queueServiceUri</c>…), the one the app's
    /// stores read too; <c>AzureWebJobsStorage</c> stays the host's own (timers, leases). Not "Storage": the host
    /// resolves a connection <c>X</c> as <c>AzureWebJobsX</c> first, which would be the host's account.
    /// </summary>
    public const string DefaultConnection = "RtgfStorage";

    public override string BindingType => "queueTrigger";
}
