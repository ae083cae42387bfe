using Rtgf.FunctionsHost.Functions;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Rpc;
using Rtgf.FunctionsHost.Triggers;
using Rtgf.Testing;

namespace Rtgf.FunctionsHost.Tests;

/// <summary>Timer and queue invocations built by <see cref="TimerInvocation"/> and <see cref="QueueInvocation"/>, run by the real worker.</summary>
public sealed class TriggerContractTests(ContractWorker worker) : IClassFixture<ContractWorker>
{
    private static readonly DateTimeOffset Inserted = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_timer_firing_reaches_the_function_and_its_return_value_is_one_queue_message()
    {
        var tick = Function("Tick");
        var firing = new TimerFiring(Inserted, Inserted.AddMinutes(5), Inserted, IsPastDue: true);

        var result = await worker.Channel.InvokeAsync(TimerInvocation.Create(tick, InvocationIds.New(), firing));

        Assert.True(result.Succeeded, result.Error);
        var output = Assert.Single(QueueOutputs.From(tick, result));
        Assert.Equal((QueueOutputs.ReturnBindingName, "contract-ticks"), (output.Binding.Name, output.QueueName));
        Assert.Equal(["tick past-due=True last=2026-12-04T10:00:00.0000000Z next=2026-12-04T10:05:00.0000000Z"], output.Messages);
    }

    [Fact]
    public async Task A_timer_firing_with_no_previous_occurrence_binds()
    {
        var tick = Function("Tick");

        var result = await worker.Channel.InvokeAsync(TimerInvocation.Create(tick, InvocationIds.New(), new TimerFiring(null, Inserted, null, IsPastDue: false)));

        Assert.True(result.Succeeded, result.Error);
        Assert.StartsWith("tick past-due=False last=0001-01-01", Assert.Single(Assert.Single(QueueOutputs.From(tick, result)).Messages), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_queue_message_binds_its_metadata_by_name_and_its_outputs_split_one_and_many()
    {
        var consume = Function("Consume");

        var result = await worker.Channel.InvokeAsync(QueueInvocation.Create(consume, InvocationIds.New(), Delivery("m-17", "hello", dequeueCount: 2)));

        Assert.True(result.Succeeded, result.Error);
        var outputs = QueueOutputs.From(consume, result).ToDictionary(o => o.QueueName, o => o.Messages);
        Assert.Equal(["contract-many", "contract-single"], outputs.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(["hello|m-17|2"], outputs["contract-single"]);
        Assert.Equal(["hello-1", "hello-2"], outputs["contract-many"]);
    }

    [Fact]
    public async Task A_json_message_binds_its_own_properties()
    {
        var consume = Function("ConsumeJson");
        const string text = """{"colour":"teal","shade":3}""";

        var result = await worker.Channel.InvokeAsync(QueueInvocation.Create(consume, InvocationIds.New(), Delivery("m-18", text, dequeueCount: 1)));

        Assert.True(result.Succeeded, result.Error);
        var output = Assert.Single(QueueOutputs.From(consume, result));
        Assert.Equal(["m-18|teal|" + text.Length], output.Messages);
    }

    /// <summary>
    /// As the host does (Utility.ApplyBindingData: <c>bindingData[key] = value</c>, after the extension's keys, case-insensitive):
    /// a JSON message's own "id" replaces the message id that <c>string id</c> binds to.
    /// </summary>
    [Fact]
    public async Task A_json_message_property_overwrites_the_hosts_key_of_the_same_name()
    {
        var consume = Function("ConsumeJson");
        const string text = """{"id":"from-the-body","colour":"teal"}""";

        var request = QueueInvocation.Create(consume, InvocationIds.New(), Delivery("m-18", text, dequeueCount: 1));
        var result = await worker.Channel.InvokeAsync(request);

        Assert.Equal("from-the-body", request.TriggerMetadata["Id"].String);
        Assert.DoesNotContain("id", request.TriggerMetadata.Keys);
        Assert.True(result.Succeeded, result.Error);
        var output = Assert.Single(QueueOutputs.From(consume, result));
        Assert.Equal(["from-the-body|teal|" + text.Length], output.Messages);
    }

    [Fact]
    public async Task A_throwing_queue_function_fails_its_invocation_with_the_exception_message()
    {
        var consume = Function("Consume");

        var result = await worker.Channel.InvokeAsync(QueueInvocation.Create(consume, InvocationIds.New(), Delivery("m-19", "poison", dequeueCount: 1)));

        Assert.False(result.Succeeded);
        Assert.Equal(StatusResult.Types.Status.Failure, result.Status);
        Assert.Equal("This message always fails.", result.Exception?.Message);
        Assert.Empty(QueueOutputs.From(consume, result));
    }

    [Fact]
    public async Task Cancelling_an_invocation_sends_invocation_cancel_and_the_worker_cancels_the_functions_token()
    {
        // The worker advertises HandlesInvocationCancelMessage by default (WorkerOptions.Capabilities); without it the
        // real host would not send InvocationCancel at all.
        Assert.Equal(bool.TrueString, worker.Channel.Capabilities.GetValueOrDefault("HandlesInvocationCancelMessage"));
        var text = "wait-" + InvocationIds.New();
        using var cancel = new CancellationTokenSource();
        var invoked = worker.Channel.InvokeAsync(QueueInvocation.Create(Function("WaitForCancel"), InvocationIds.New(), Delivery("m-20", text, dequeueCount: 1)), cancel.Token);

        // Cancel only once the function runs: a cancel for an invocation the worker is not tracking yet is a no-op.
        await LoggedAsync("waiting: " + text);
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => invoked);
        await LoggedAsync("cancelled: " + text);
    }

    private HostedFunction Function(string name) => worker.Channel.Find(name) ?? throw new InvalidOperationException($"The worker has no function {name}.");

    private static QueueDelivery Delivery(string id, string text, long dequeueCount) =>
        new(id, "pop-" + id, text, dequeueCount, Inserted, Inserted.AddDays(7), Inserted.AddSeconds(30));

    private Task<bool> LoggedAsync(string message) =>
        Eventually.ProbeAsync(
            () => Task.FromResult(worker.Logs.Any(l => l.Message == message)),
            found => found,
            TimeSpan.FromSeconds(30),
            $"the worker to log '{message}'");
}
