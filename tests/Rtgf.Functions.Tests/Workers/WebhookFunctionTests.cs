using System.Text.Json;
using Rtgf.Functions.Functions;
using Rtgf.Pipeline.Webhooks;
using Rtgf.Tooling;

namespace Rtgf.Functions.Tests.Workers;

/// <summary>The bus's functions have the triggers docs/spec/webhooks.md names, and poison where the host does.</summary>
public sealed class WebhookFunctionTests
{
    private static readonly FunctionIndex Index = FunctionIndex.ForApp();

    [Fact]
    public void Webhooks_IsTriggeredByItsQueue_AndSweepIsATimerOnItsScheduleSetting()
    {
        Assert.Equal(WebhookOptions.Queue, Index["webhooks"].QueueName);
        Assert.Empty(Index["webhooks"].Outputs);
        Assert.Equal("%WEBHOOKS_SWEEP_SCHEDULE%", Index["webhooks-sweep"].Schedule);
    }

    [Fact]
    public void MaxTries_IsTheHostsMaxDequeueCount()
    {
        // The dispatcher marks a record poisoned on the delivery after which the host moves the message to the poison queue.
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryLayout.FindRoot(), "host.json")));

        Assert.Equal(host.RootElement.GetProperty("extensions").GetProperty("queues").GetProperty("maxDequeueCount").GetInt32(), new WebhookOptions().MaxTries);
    }
}
