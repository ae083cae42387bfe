using System.Globalization;
using System.Text.Json;
using Rtgf.Functions.Http;
using Rtgf.Register;
using Rtgf.Register.Stats;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// <c>/v1/stats</c> and its history (docs/spec/stats.md): the stored statistics document of the current generation's build,
/// served as stored (its ETag the hash of its bytes), or computed the same way and marked <c>stored: false</c> until the
/// <c>stats-cache</c> worker has stored it; the history newest first from the <c>statshistory</c> table.
/// </summary>
internal static partial class StatsEndpoints
{
    public const int DefaultLimit = 50;
    public const int MaxLimit = 500;

    public static Task<IResult> GetStatsAsync(
        HttpRequest request, RegisterGenerations generations, PublicationStatsSource stats, ILogger logger, CancellationToken cancellationToken) =>
        PublicApiEndpoints.WithViewAsync(generations, request.HttpContext, null, async view =>
        {
            try
            {
                var document = await stats.GetAsync(view.BuildId, cancellationToken).ConfigureAwait(false);
                return HttpCaching.ShortLivedBytesPerCaller(request.HttpContext, document.Content, "application/json");
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                // Whatever failed (a build or snapshot gone or unreadable, storage): the generation is served, so its inputs
                // were there a moment ago, and the next request computes again. A 503 to retry, never a 500.
                // Our own exceptions name only builds, snapshots and lines; others are logged by type (no request details).
                ComputeFailed(logger, view.BuildId, e.GetType().Name, e is PublicationStatsException ? e.Message : "");
                request.HttpContext.Response.Headers.RetryAfter = PublicApiEndpoints.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                return ApiProblem.NotReady("The statistics of this publication cannot be computed right now: try again shortly.");
            }
        }, cancellationToken);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The statistics of build {BuildId} could not be computed ({ExceptionType}) {Detail}")]
    private static partial void ComputeFailed(ILogger logger, string buildId, string exceptionType, string detail);

    public static async Task<IResult> GetStatsHistoryAsync(HttpRequest request, StatsHistory history, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!PageRequest.TryRead(request, DefaultLimit, MaxLimit, out var page, out var problem))
        {
            return problem;
        }

        if (page.Continuation is { } after && !StatsHistory.IsRow(after))
        {
            return ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out.");
        }

        var (items, next) = await history.PageAsync(page.Continuation, page.Limit, cancellationToken).ConfigureAwait(false);
        var cursor = next is null ? null : ContinuationCursor.Encode(next);
        var body = new StatsHistoryPage(items, cursor, PublicApiQuery.Next(request.Path.ToString(), [], page.Limit, cursor));
        return HttpCaching.ShortLivedBytesPerCaller(request.HttpContext, JsonSerializer.SerializeToUtf8Bytes(body, json), "application/json");
    }
}
