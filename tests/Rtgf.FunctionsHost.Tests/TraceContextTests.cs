using System.Diagnostics;
using Rtgf.FunctionsHost.Channel;
using Rtgf.FunctionsHost.Invocation;
using Rtgf.FunctionsHost.Triggers;

namespace Rtgf.FunctionsHost.Tests;

/// <summary>
/// Like the real host, ours sends every invocation a trace context: a timer's or queue message's gets a sampled root of
/// its own (derived from the invocation id), so the worker's spans have a parent; an HTTP request's is the caller's.
/// </summary>
public sealed class TraceContextTests(ContractWorker worker) : IClassFixture<ContractWorker>
{
    private static readonly DateTimeOffset Inserted = new(2026, 12, 4, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task A_queue_invocation_reaches_the_worker_with_a_sampled_w3c_trace_context()
    {
        var function = worker.Channel.Find("TraceContext") ?? throw new InvalidOperationException("The test worker has no TraceContext function.");
        var invocationId = InvocationIds.New();

        var result = await worker.Channel.InvokeAsync(QueueInvocation.Create(function, invocationId,
            new QueueDelivery("m-trace", "pop", "hello", 1, Inserted, Inserted.AddDays(7), Inserted)));

        Assert.True(result.Succeeded, result.Error);
        var seen = Assert.Single(Assert.Single(QueueOutputs.From(function, result)).Messages);
        Assert.Equal(WorkerChannel.InvocationTraceParent(invocationId), seen);
        Assert.True(ActivityContext.TryParse(seen, null, out var context), seen);
        Assert.NotEqual(default, context.TraceId);
        Assert.True(context.TraceFlags.HasFlag(ActivityTraceFlags.Recorded));
    }

    [Fact]
    public void Each_invocation_gets_its_own_trace() =>
        Assert.NotEqual(
            ActivityContext.Parse(WorkerChannel.InvocationTraceParent("a"), null).TraceId,
            ActivityContext.Parse(WorkerChannel.InvocationTraceParent("b"), null).TraceId);
}
