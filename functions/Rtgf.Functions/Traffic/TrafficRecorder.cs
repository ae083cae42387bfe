using System.Diagnostics.Metrics;
using System.Threading.Channels;
using Rtgf.Core.Telemetry;
using Rtgf.Pipeline.Operations.Traffic;

namespace Rtgf.Functions.Traffic;

/// <summary>
/// The request path's side of the traffic log: <see cref="Record"/> puts a record in a bounded channel and returns at once;
/// when the channel is full the record is dropped and counted, never waited for. <see cref="TrafficWriter"/> drains the
/// channel and writes the counts as <see cref="TrafficDrop"/> rows, so nothing is lost silently.
/// </summary>
public sealed class TrafficRecorder
{
    /// <summary>Records not logged, by <c>reason</c> (<c>full</c>: the channel; <c>failed</c>: the write). docs/spec/operations.md#traffic.</summary>
    public const string DroppedInstrument = "rtgf.traffic.dropped";

    private static readonly Counter<long> DroppedCounter = RtgfTelemetry.Meter.CreateCounter<long>(DroppedInstrument, "{record}", "Traffic records not logged");
    private static readonly KeyValuePair<string, object?> FullTag = new("reason", "full");

    private readonly Channel<TrafficRecord> _channel;
    private long _accepted;
    private long _full;
    private long _fullPending;

    public TrafficRecorder(TrafficOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        Options = options;
        _channel = Channel.CreateBounded<TrafficRecord>(new BoundedChannelOptions(options.Capacity)
        {
            FullMode = BoundedChannelFullMode.Wait, // with TryWrite: false when full, so the drop is ours to count
            SingleReader = true,
            SingleWriter = false,
        });
    }

    public TrafficOptions Options { get; }

    public bool Enabled => Options.Enabled;

    /// <summary>Records taken since the start.</summary>
    public long Accepted => Interlocked.Read(ref _accepted);

    /// <summary>Records refused since the start because the channel was full.</summary>
    public long DroppedFull => Interlocked.Read(ref _full);

    internal ChannelReader<TrafficRecord> Reader => _channel.Reader;

    /// <summary>Never blocks: true when the record will be written, false when it was dropped (and counted).</summary>
    public bool Record(TrafficRecord record)
    {
        if (_channel.Writer.TryWrite(record))
        {
            Interlocked.Increment(ref _accepted);
            return true;
        }

        Interlocked.Increment(ref _full);
        Interlocked.Increment(ref _fullPending);
        DroppedCounter.Add(1, FullTag);
        return false;
    }

    /// <summary>Closes the channel (shutdown): later records are refused and counted as drops.</summary>
    internal void Complete() => _channel.Writer.TryComplete();

    /// <summary>The channel-full drops not yet written to the log (the writer takes them, and gives them back if that write fails).</summary>
    internal long TakeFullDrops() => Interlocked.Exchange(ref _fullPending, 0);

    internal void ReturnFullDrops(long count) => Interlocked.Add(ref _fullPending, count);

    internal static void CountFailed(long count) => DroppedCounter.Add(count, new KeyValuePair<string, object?>("reason", "failed"));
}
