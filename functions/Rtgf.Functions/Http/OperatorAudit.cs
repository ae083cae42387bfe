using Azure;
using Microsoft.AspNetCore.Http.HttpResults;
using Rtgf.Pipeline.Audit;

namespace Rtgf.Functions.Http;

/// <summary>
/// Writes an operator action's audit entry after the action succeeded (docs/spec/operations.md#audit). The action is not
/// undone when the write fails: a rollback could fail too, and some actions (a log entry, a sent message) cannot be
/// undone. The answer is then a 503 <c>audit-failed</c> problem that says what was done, and the gap is logged as an error.
/// </summary>
public sealed partial class OperatorAudit(IAuditTrail trail, ILogger<OperatorAudit> logger)
{
    /// <summary>
    /// Appends <paramref name="entry"/>; null when it is stored, else the problem to answer. <paramref name="done"/> says
    /// what the action did and <paramref name="retry"/> whether repeating the request records the entry without acting again.
    /// </summary>
    public async Task<ProblemHttpResult?> RecordAsync(AuditEntry entry, string done, bool retry, CancellationToken cancellationToken)
    {
        try
        {
            await trail.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
            return null;
        }
        catch (RequestFailedException e)
        {
            NotAudited(logger, entry.Action, entry.Subject, entry.Actor, entry.Id, e.Status);
            return ApiProblem.AuditFailed(done + " It was not undone, but its audit entry could not be written. "
                + (retry ? "Repeat the request: it changes nothing more and records the entry." : "Repeating the request would act again; the gap is in the app's error log."));
        }
    }

    [LoggerMessage(EventId = 7401, Level = LogLevel.Error, Message = "Audit entry not written for {Action} {Subject} by {Actor} (entry {EntryId}, status {Status}); the action was done")]
    private static partial void NotAudited(ILogger logger, string action, string subject, string actor, string entryId, int status);
}
