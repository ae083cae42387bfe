using System.Globalization;
using System.Text.Json;
using Rtgf.Functions.Http;
using Rtgf.Ingestion.Records;
using Rtgf.Pipeline.Calendar;

namespace Rtgf.Functions.Endpoints;

/// <summary>A page of <c>/v1/calendar</c>: the calendar generation (sync run) it was read from, the window, the matching total and the next page.</summary>
internal sealed record CalendarPage(string? Generation, string From, string To, int Total, IReadOnlyList<CalendarEntry> Items, string? NextCursor, string? Next);

/// <summary>
/// <c>GET /v1/calendar</c> (docs/spec/public-api.md): public holidays and regulatory key dates from the calendar's current
/// generation, ordered by date then key. <c>state</c> (a state code, any case: that state's holidays and the key dates of
/// that state and national ones; <c>national</c>: national key dates only), <c>from</c>/<c>to</c> (inclusive ISO dates;
/// default from today (UTC) to the same day 365 days later, inclusive; a missing edge is the other one ∓ 365 days, clamped
/// to the first/last representable date; at most <see cref="MaxSpanDays"/> days apart), <c>kind</c> (<c>holiday</c> or
/// <c>key-date</c>), <c>limit</c> and <c>cursor</c> (the position after the last item, so it survives a new generation).
/// </summary>
internal static class CalendarEndpoints
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 500;
    public const int DefaultSpanDays = 365;
    public const int MaxSpanDays = 731;

    public static async Task<IResult> ListAsync(HttpRequest request, CalendarReader calendar, TimeProvider time, JsonSerializerOptions json, CancellationToken cancellationToken)
    {
        if (!PageRequest.TryRead(request, DefaultLimit, MaxLimit, out var page, out var pageProblem))
        {
            return pageProblem;
        }

        string? state = null;
        if (QueryValues.Get(request, "state") is { } stateText)
        {
            state = string.Equals(stateText, CalendarDateRecord.National, StringComparison.OrdinalIgnoreCase) ? CalendarDateRecord.National
                : CalendarDateRecord.States.FirstOrDefault(s => string.Equals(s, stateText, StringComparison.OrdinalIgnoreCase));
            if (state is null)
            {
                return ApiProblem.InvalidRequest($"'state' must be a state or territory code ({string.Join(", ", CalendarDateRecord.States)}) or national.");
            }
        }

        var kind = QueryValues.Get(request, "kind");
        if (kind is not (null or CalendarDateRecord.HolidayKind or CalendarDateRecord.KeyDateKind))
        {
            return ApiProblem.InvalidRequest("'kind' must be holiday or key-date.");
        }

        if (!TryDate(request, "from", out var from, out var problem) || !TryDate(request, "to", out var to, out problem))
        {
            return problem!;
        }

        // Today is the UTC date: at most one day before Australia's, so the default window still holds Australia's today.
        // A default edge past the calendar's first or last day is clamped to it (never an out-of-range date, never a 500).
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        var start = from ?? (to is { } end ? Shift(end, -DefaultSpanDays) : today);
        var finish = to ?? Shift(start, DefaultSpanDays);
        if (finish < start)
        {
            return ApiProblem.InvalidRequest("'to' is before 'from'.");
        }

        if (finish.DayNumber - start.DayNumber > MaxSpanDays)
        {
            return ApiProblem.InvalidRequest($"'from' and 'to' may be at most {MaxSpanDays} days apart.");
        }

        (string Date, string Key)? after = null;
        if (page.Continuation is { } continuation)
        {
            var bar = continuation.IndexOf('|', StringComparison.Ordinal);
            if (bar != 10 || !DateOnly.TryParseExact(continuation[..bar], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out _)
                || !(continuation[(bar + 1)..].StartsWith("holiday:", StringComparison.Ordinal) || continuation[(bar + 1)..].StartsWith("key-date:", StringComparison.Ordinal)))
            {
                return ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out.");
            }

            after = (continuation[..bar], continuation[(bar + 1)..]);
        }

        var listing = await calendar.ReadAsync(cancellationToken).ConfigureAwait(false);
        var (first, last) = (CalendarDateRecord.DateText(start), CalendarDateRecord.DateText(finish));
        var matching = listing.Entries
            .Where(e => string.CompareOrdinal(e.Date, first) >= 0 && string.CompareOrdinal(e.Date, last) <= 0)
            .Where(e => kind is null || e.Kind == kind)
            .Where(e => state is null || e.Jurisdiction == state || (state != CalendarDateRecord.National && e.Jurisdiction == CalendarDateRecord.National))
            .ToList();
        var rest = after is { } position
            ? matching.Where(e => string.CompareOrdinal(e.Date, position.Date) > 0 || (e.Date == position.Date && string.CompareOrdinal(e.Key, position.Key) > 0)).ToList()
            : matching;
        var items = rest.Take(page.Limit).ToList();
        var cursor = rest.Count > items.Count ? ContinuationCursor.Encode($"{items[^1].Date}|{items[^1].Key}") : null;
        var filters = new Dictionary<string, string?>(StringComparer.Ordinal) { ["state"] = state, ["from"] = first, ["to"] = last, ["kind"] = kind };
        var body = new CalendarPage(listing.Generation, first, last, matching.Count, items, cursor, PublicApiQuery.Next(request.Path.ToString(), filters, page.Limit, cursor));
        return HttpCaching.ShortLivedBytesPerCaller(request.HttpContext, JsonSerializer.SerializeToUtf8Bytes(body, json), "application/json");
    }

    private static DateOnly Shift(DateOnly date, int days) =>
        DateOnly.FromDayNumber(Math.Clamp(date.DayNumber + days, DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber));

    private static bool TryDate(HttpRequest request, string name, out DateOnly? date, out IResult? problem)
    {
        date = null;
        problem = null;
        if (QueryValues.Get(request, name) is not { } text)
        {
            return true;
        }

        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var parsed))
        {
            date = parsed;
            return true;
        }

        problem = ApiProblem.InvalidRequest($"'{name}' must be a date in the form yyyy-MM-dd.");
        return false;
    }
}
