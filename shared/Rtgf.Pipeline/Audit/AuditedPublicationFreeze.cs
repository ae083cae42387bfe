using System.Globalization;
using Rtgf.Pipeline.Freeze;

namespace Rtgf.Pipeline.Audit;

/// <summary>
/// The publication freeze with its setting audited (<see cref="AuditActions.FreezeSet"/>, actor
/// <see cref="DeterminismHarnessActor"/>). The entry is written after the freeze is stored; its id is the freeze's
/// <c>FrozenAt</c>, so a QA message retried after a failed audit write (the freeze already set, the first reason kept)
/// writes the same entry once. Clearing is audited by the <c>/ops/freeze/clear</c> route, which knows the operator.
/// </summary>
public sealed class AuditedPublicationFreeze(IPublicationFreeze inner, IAuditTrail audit) : IPublicationFreeze
{
    /// <summary>Who sets a freeze: the QA stage, not a person.</summary>
    public const string DeterminismHarnessActor = "determinism-harness";

    public Task<FreezeState> GetAsync(CancellationToken cancellationToken = default) => inner.GetAsync(cancellationToken);

    public async Task<FreezeState> FreezeAsync(string buildId, string reason, CancellationToken cancellationToken = default)
    {
        var state = await inner.FreezeAsync(buildId, reason, cancellationToken).ConfigureAwait(false);
        if (state is { IsFrozen: true, FrozenAt: { } frozenAt })
        {
            await audit.AppendAsync(
                new AuditEntry(
                    string.Create(CultureInfo.InvariantCulture, $"{AuditActions.FreezeSet}:{frozenAt.UtcTicks}"), frozenAt, DeterminismHarnessActor, AuditActions.FreezeSet,
                    state.BuildId ?? buildId, new Dictionary<string, string> { ["reason"] = state.Reason ?? reason }),
                cancellationToken).ConfigureAwait(false);
        }

        return state;
    }

    public Task<FreezeState> ClearAsync(string reason, string actor, CancellationToken cancellationToken = default) => inner.ClearAsync(reason, actor, cancellationToken);
}
