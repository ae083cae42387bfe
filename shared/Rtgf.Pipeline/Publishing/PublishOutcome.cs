using Rtgf.Pipeline.Messages;
using Rtgf.Pipeline.Registry;

namespace Rtgf.Pipeline.Publishing;

/// <summary>What one publish delivery did: published (<see cref="Publication"/>), or re-queued a delayed copy that waits.</summary>
public sealed record PublishOutcome(Publication? Publication, PublishRequest? Requeued, TimeSpan Delay, PublicationWaitReason? WaitReason)
{
    public static PublishOutcome Published(Publication publication) => new(publication, null, TimeSpan.Zero, null);

    public static PublishOutcome Waiting(PublishRequest copy, TimeSpan delay, PublicationWaitReason reason) => new(null, copy, delay, reason);
}
