using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Rtgf.Functions.Http;

/// <summary>
/// A list route's <c>limit</c> (1 to the route's maximum, else its default) and <c>cursor</c> (<see cref="ContinuationCursor"/>):
/// read once for every paged operator list, so each refuses bad values with the same 400.
/// </summary>
internal readonly record struct PageRequest(int Limit, string? Continuation)
{
    public static bool TryRead(HttpRequest request, int defaultLimit, int maxLimit, out PageRequest page, [NotNullWhen(false)] out ProblemHttpResult? problem)
    {
        page = default;
        var limit = defaultLimit;
        if (QueryValues.Get(request, "limit") is { } limitText
            && (!int.TryParse(limitText, NumberStyles.None, CultureInfo.InvariantCulture, out limit) || limit < 1 || limit > maxLimit))
        {
            problem = ApiProblem.InvalidRequest($"'limit' must be a whole number from 1 to {maxLimit}.");
            return false;
        }

        string? continuation = null;
        if (QueryValues.Get(request, "cursor") is { } cursor && (continuation = ContinuationCursor.Decode(cursor)) is null)
        {
            problem = ApiProblem.InvalidRequest("'cursor' is not a cursor this API gave out.");
            return false;
        }

        page = new PageRequest(limit, continuation);
        problem = null;
        return true;
    }
}
