namespace Rtgf.CustomHandler.Catalog;

/// <summary>A binding to a queue (Service Bus or Storage), trigger or output.</summary>
public interface IQueueBinding
{
    /// <summary>The queue name, or an app setting reference such as <c>%COMPILE_QUEUE%</c>.</summary>
    string QueueName { get; }

    /// <summary>The app-setting prefix of the connection.</summary>
    string Connection { get; }
}
