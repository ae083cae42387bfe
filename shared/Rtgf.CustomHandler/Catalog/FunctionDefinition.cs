using System.Text.RegularExpressions;

namespace Rtgf.CustomHandler.Catalog;

/// <summary>
/// One function, declared once: its name (the script-root folder and the invocation path), its trigger
/// and its output bindings. Everything else (function.json, the runner's behaviour) is derived from it.
/// </summary>
public sealed partial record FunctionDefinition
{
    public FunctionDefinition(string name, FunctionTrigger trigger, IReadOnlyList<OutputBinding>? outputs = null)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        ArgumentNullException.ThrowIfNull(trigger);
        Name = name;
        Trigger = trigger;
        Outputs = outputs ?? [];
    }

    public string Name { get; }

    public FunctionTrigger Trigger { get; }

    public IReadOnlyList<OutputBinding> Outputs { get; }

    /// <summary>
    /// True when the host forwards requests as raw HTTP to the original path (host.json
    /// <c>enableForwardingHttpRequest</c>): exactly one HTTP trigger and one HTTP output.
    /// </summary>
    public bool IsForwardedHttp => Trigger is HttpTrigger && Outputs is [HttpOutput];

    /// <summary>True when the host POSTs invocation envelopes to <c>/{Name}</c>.</summary>
    public bool ReceivesEnvelopes => !IsForwardedHttp;

    /// <summary>App settings this definition reads through <c>%NAME%</c> references (schedules, queue names).</summary>
    public IEnumerable<string> ReferencedSettings
    {
        get
        {
            var values = Outputs.OfType<IQueueBinding>().Select(q => q.QueueName).ToList();
            switch (Trigger)
            {
                case TimerTrigger timer:
                    values.Add(timer.Schedule);
                    break;
                case IQueueBinding queue:
                    values.Add(queue.QueueName);
                    break;
            }

            return values.SelectMany(SettingReferences).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal);
        }
    }

    /// <summary>A timer-triggered function.</summary>
    public static FunctionDefinition Timer(string name, string schedule, params OutputBinding[] outputs) =>
        new(name, new TimerTrigger(schedule), outputs);

    /// <summary>A Service Bus queue-triggered function.</summary>
    public static FunctionDefinition ServiceBus(string name, string queueName, params OutputBinding[] outputs) =>
        new(name, new ServiceBusTrigger(queueName), outputs);

    /// <summary>A Storage queue-triggered function.</summary>
    public static FunctionDefinition StorageQueue(string name, string queueName, params OutputBinding[] outputs) =>
        new(name, new QueueTrigger(queueName), outputs);

    /// <summary>
    /// An HTTP function the host forwards as raw HTTP, so ASP.NET Core routing owns every URL under
    /// <paramref name="route"/> (normally a catch-all such as <c>verify/{*path}</c>).
    /// </summary>
    public static FunctionDefinition Http(string name, string route, AuthorizationLevel authLevel, params string[] methods) =>
        new(name, new HttpTrigger(route, authLevel, methods), [new HttpOutput()]);

    /// <summary>
    /// An HTTP function that also writes to other bindings: the host cannot forward it, so it arrives as
    /// an envelope at <c>/{name}</c> and answers through the <c>res</c> output.
    /// </summary>
    public static FunctionDefinition HttpWithOutputs(string name, string route, AuthorizationLevel authLevel, IReadOnlyList<string> methods, params OutputBinding[] outputs) =>
        new(name, new HttpTrigger(route, authLevel, methods), [new HttpOutput(), .. outputs]);

    /// <summary>The <c>%NAME%</c> app-setting references in a binding value.</summary>
    public static IEnumerable<string> SettingReferences(string value) =>
        SettingReference().Matches(value).Select(m => m.Groups["name"].Value);

    [GeneratedRegex("%(?<name>[A-Za-z0-9_]+)%", RegexOptions.CultureInvariant)]
    private static partial Regex SettingReference();
}
