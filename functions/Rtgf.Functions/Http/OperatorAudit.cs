using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Functions.Http;

/// <summary>
/// Writes an operator action's audit entry after the action succeeded (docs/spec/operations.md#audit). The action is not
/// undone when the write fails: a rollback could fail too, and some actions (a log entry, a sent message) cannot be
/// undone. The answer is then a 503 <c>audit-failed</c> problem that says what was done, and the gap is logged as an error.
/// </summary>
public sealed partial class OperatorAudit(IAuditTrail trail, TimeProvider time, ILogger<OperatorAudit> logger)
{
    /// <summary>How long the write may take: it is not cancelled by the request, so this bounds it.</summary>
    public static readonly TimeSpan WriteTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Appends <paramref name="entry"/>; null when it is stored, else the problem to answer. <paramref name="done"/> says
    /// what the action did and <paramref name="retry"/> whether repeating the request records the entry without acting again.
    /// The write does not take the request's token: the action is done, so a client that disconnects now must not leave it
    /// unaudited; <see cref="WriteTimeout"/> bounds it instead.
    /// </summary>
    public async Task<ProblemHttpResult?> RecordAsync(AuditEntry entry, string done, bool retry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        using var timeout = new CancellationTokenSource(WriteTimeout, time);
        try
        {
            await trail.AppendAsync(entry, timeout.Token).ConfigureAwait(false);
            return null;
        }
        catch (Exception e) // a refusal, a transport failure after retries, the timeout: the same gap, answered and logged
        {
            NotAudited(logger, entry.Action, entry.Subject, entry.Actor, entry.Id, (e as RequestFailedException)?.Status ?? 0, e.GetType().Name);
            return ApiProblem.AuditFailed(done + " It was not undone, but its audit entry could not be written. "
                + (retry ? "Repeat the request: it changes nothing more and records the entry." : "Repeating the request would act again; the gap is in the app's error log."));
        }
    }

    [LoggerMessage(EventId = 7401, Level = LogLevel.Error, Message = "Audit entry not written for {Action} {Subject} by {Actor} (entry {EntryId}, status {Status}, {Error}); the action was done")]
    private static partial void NotAudited(ILogger logger, string action, string subject, string actor, string entryId, int status, string error);
}
