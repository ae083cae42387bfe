namespace Rtgf.Pipeline.Webhooks;

/// <summary>The bus's settings (section <c>Webhooks</c>).</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "Webhooks";

    /// <summary>The queue of accepted webhooks (<c>rtgf-&lt;stage&gt;</c>, like the pipeline's); failures end in <c>rtgf-webhooks-poison</c>.</summary>
    public const string Queue = "rtgf-webhooks";

    /// <summary>Where the host moves a message after <c>maxDequeueCount</c> failed deliveries (the queue's name + <c>-poison</c>).</summary>
    public const string PoisonQueue = Queue + "-poison";

    /// <summary>The sweep's schedule setting (NCRONTAB with seconds, like the sync timers).</summary>
    public const string SweepScheduleSetting = "WEBHOOKS_SWEEP_SCHEDULE";

    /// <summary>How far a signature's timestamp may be from now, in seconds (<c>Webhooks:ToleranceSeconds</c>).</summary>
    public int ToleranceSeconds { get; set; } = 300;

    /// <summary>
    /// How long a record may stay <see cref="WebhookStates.Received"/> (stored, message maybe never sent) before a duplicate
    /// delivery or the sweep sends its message (<c>Webhooks:StuckAfterSeconds</c>). Shorter would race a delivery still in flight.
    /// </summary>
    public int StuckAfterSeconds { get; set; } = 120;

    /// <summary>
    /// The delivery on which a failing event is marked poisoned: the host's <c>maxDequeueCount</c> (host.json), after which the
    /// host moves the message to the poison queue. A test keeps the two equal.
    /// </summary>
    public int MaxTries { get; set; } = 5;

    public TimeSpan Tolerance => TimeSpan.FromSeconds(ToleranceSeconds);

    public TimeSpan StuckAfter => TimeSpan.FromSeconds(StuckAfterSeconds);
}
