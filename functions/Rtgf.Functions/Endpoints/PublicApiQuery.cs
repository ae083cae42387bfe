using System.Globalization;
using System.Text;
using Rtgf.Register;

namespace Rtgf.Functions.Endpoints;

/// <summary>
/// Why a catalogue argument was refused, worded for each surface that takes it: <see cref="ForRequest"/> for a <c>/v1</c>
/// 400 Problem (names the query parameter), <see cref="ForTool"/> for an MCP tool error (names the tool argument).
/// </summary>
internal sealed record PublicApiRefusal(string ForRequest, string ForTool);

/// <summary>A listing's checked limit and cursor, and the fingerprint a cursor of this listing and these filters carries.</summary>
internal sealed record PublicApiPaging(RegisterCursor? Cursor, int Limit, string Fingerprint);

/// <summary>
/// The catalogue's argument checks, shared by <c>/v1</c> and the MCP catalogue tools so that both refuse the same values and
/// build the same fingerprints: a cursor from either API continues the other's listing.
/// </summary>
internal static class PublicApiQuery
{
    /// <summary>Register codes: RTO and component codes, CRICOS codes, TEQSA ids: letters, digits, '.', '_' and '-', at most 64.</summary>
    public static PublicApiRefusal? CheckCode(string code)
    {
        if (code.Length is 0 or > 64 || !code.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            var reason = $"'{TokenEndpoints.Truncate(code)}' is not a register code (1 to 64 letters, digits, '.', '_' or '-').";
            return new PublicApiRefusal("code " + reason, reason);
        }

        return null;
    }

    /// <summary>Filter values (null: not given): 1 to <see cref="PublicApiEndpoints.MaxValueLength"/> characters, no control characters.</summary>
    public static PublicApiRefusal? CheckFilters(IEnumerable<KeyValuePair<string, string?>> filters)
    {
        foreach (var (name, value) in filters)
        {
            if (value is not null && (value.Length is 0 or > PublicApiEndpoints.MaxValueLength || value.Any(char.IsControl)))
            {
                var reason = $"must be 1 to {PublicApiEndpoints.MaxValueLength} characters without control characters.";
                return new PublicApiRefusal($"{name} {reason}", $"'{name}' {reason}");
            }
        }

        return null;
    }

    /// <summary>
    /// The limit (null: the default) and cursor (null: the first page) of the listing <paramref name="operation"/> with these
    /// filters; a cursor must carry this listing's fingerprint.
    /// </summary>
    public static PublicApiRefusal? CheckPaging(
        string operation, IEnumerable<KeyValuePair<string, string?>> filters, long? limit, string? cursorText, out PublicApiPaging paging)
    {
        paging = null!;
        if (limit is { } l && l is < 1 or > PublicApiEndpoints.MaxLimit)
        {
            var reason = $"must be a whole number from 1 to {PublicApiEndpoints.MaxLimit}.";
            return new PublicApiRefusal("limit " + reason, "'limit' " + reason);
        }

        var fingerprint = Fingerprint(operation, filters);
        RegisterCursor? cursor = null;
        if (cursorText is not null)
        {
            if (!RegisterCursor.TryParse(cursorText, out cursor, out var error))
            {
                return new PublicApiRefusal(error, error);
            }

            if (cursor!.Fingerprint != fingerprint)
            {
                return new PublicApiRefusal(
                    "cursor belongs to another listing or other filters: use it with the query that returned it.",
                    "The cursor belongs to another listing or other filters: use it with the arguments that returned it.");
            }
        }

        paging = new PublicApiPaging(cursor, (int)(limit ?? PublicApiEndpoints.DefaultLimit), fingerprint);
        return null;
    }

    /// <summary>
    /// The search window: pages reach the first <see cref="PublicApiEndpoints.MaxSearchWindow"/> hits. A cursor beyond them is
    /// refused; a page that would cross them is shortened to end there (<paramref name="limit"/>), so a next cursor always
    /// leads to a page.
    /// </summary>
    public static PublicApiRefusal? CheckSearchWindow(PublicApiPaging paging, out int offset, out int limit)
    {
        offset = paging.Cursor?.Position ?? 0;
        limit = 0;
        if (offset >= PublicApiEndpoints.MaxSearchWindow)
        {
            var reason = $"pages reach the first {PublicApiEndpoints.MaxSearchWindow} hits only: the cursor goes beyond them.";
            return new PublicApiRefusal("search " + reason, "Search " + reason);
        }

        limit = Math.Min(paging.Limit, PublicApiEndpoints.MaxSearchWindow - offset);
        return null;
    }

    /// <summary>
    /// The cursor of the search page after <paramref name="hits"/> hits from <paramref name="offset"/> (null at the end of the
    /// hits or of the window), and whether the window cut the listing short of <paramref name="total"/>.
    /// </summary>
    public static (string? Cursor, bool Truncated) SearchNext(RegisterView view, PublicApiPaging paging, int offset, int hits, int total)
    {
        var end = offset + hits;
        var cursor = hits > 0 && end < total && end < PublicApiEndpoints.MaxSearchWindow
            ? new RegisterCursor(view.BuildHex, end, paging.Fingerprint).Encode()
            : null;
        return (cursor, cursor is null && end < total);
    }

    /// <summary>The <c>/v1</c> link of the next page: the path, the leading values, the given filters, the limit and the new cursor.</summary>
    public static string? Next(
        string path, IEnumerable<KeyValuePair<string, string?>> filters, int limit, string? cursor, params (string Name, string Value)[] leading)
    {
        if (cursor is null)
        {
            return null;
        }

        var query = new StringBuilder();
        foreach (var (name, value) in leading.Concat(filters.Where(f => f.Value is not null).Select(f => (Name: f.Key, Value: f.Value!))))
        {
            query.Append(name).Append('=').Append(Uri.EscapeDataString(value)).Append('&');
        }

        query.Append(CultureInfo.InvariantCulture, $"limit={limit}&cursor={cursor}");
        return path + "?" + query;
    }

    /// <summary>The operation (with its code or search text) and every filter, given or not, in name order.</summary>
    private static string Fingerprint(string operation, IEnumerable<KeyValuePair<string, string?>> filters)
    {
        var query = new StringBuilder(operation);
        foreach (var (name, value) in filters.OrderBy(f => f.Key, StringComparer.Ordinal))
        {
            query.Append('|').Append(name).Append('=').Append(value);
        }

        return RegisterCursor.FingerprintOf(query.ToString());
    }
}
