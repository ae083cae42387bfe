using System.Globalization;
using System.Text.RegularExpressions;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// What one <c>wrk --latency</c> run reports: requests per second, the latency distribution (50/75/90/99 %), how many
/// requests completed, how many answered non-2xx/3xx and the socket errors.
/// </summary>
internal sealed partial record WrkResult(
    double RequestsPerSecond,
    long Requests,
    IReadOnlyDictionary<int, TimeSpan> Latency,
    long NonSuccess,
    long SocketErrors)
{
    /// <summary>Parses wrk 4's text report; throws naming what is missing.</summary>
    public static WrkResult Parse(string output)
    {
        var rate = RateLine().Match(output);
        var requests = RequestsLine().Match(output);
        if (!rate.Success || !requests.Success)
        {
            throw new FormatException("wrk's output has no 'Requests/sec' or 'N requests in' line:\n" + output);
        }

        var latency = new Dictionary<int, TimeSpan>();
        foreach (Match match in PercentileLine().Matches(output))
        {
            latency[int.Parse(match.Groups["pct"].Value, CultureInfo.InvariantCulture)] = Duration(match.Groups["value"].Value, match.Groups["unit"].Value);
        }

        foreach (var percentile in (int[])[50, 75, 90, 99])
        {
            if (!latency.ContainsKey(percentile))
            {
                throw new FormatException($"wrk's output has no {percentile}% latency line (was --latency passed?):\n" + output);
            }
        }

        var nonSuccess = NonSuccessLine().Match(output);
        var errors = SocketErrorsLine().Match(output);
        var socketErrors = errors.Success
            ? errors.Groups.Cast<Group>().Skip(1).Sum(g => long.Parse(g.Value, CultureInfo.InvariantCulture))
            : 0;
        return new WrkResult(
            double.Parse(rate.Groups["rate"].Value, CultureInfo.InvariantCulture),
            long.Parse(requests.Groups["count"].Value, CultureInfo.InvariantCulture),
            latency,
            nonSuccess.Success ? long.Parse(nonSuccess.Groups["count"].Value, CultureInfo.InvariantCulture) : 0,
            socketErrors);
    }

    private static TimeSpan Duration(string value, string unit)
    {
        var number = double.Parse(value, CultureInfo.InvariantCulture);
        return unit switch
        {
            "us" => TimeSpan.FromMicroseconds(number),
            "ms" => TimeSpan.FromMilliseconds(number),
            "s" => TimeSpan.FromSeconds(number),
            "m" => TimeSpan.FromMinutes(number),
            "h" => TimeSpan.FromHours(number),
            _ => throw new FormatException($"Unknown wrk latency unit '{unit}'."),
        };
    }

    [GeneratedRegex(@"^Requests/sec:\s+(?<rate>[0-9.]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RateLine();

    [GeneratedRegex(@"^\s*(?<count>[0-9]+) requests in ", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex RequestsLine();

    [GeneratedRegex(@"^\s+(?<pct>50|75|90|99)%\s+(?<value>[0-9.]+)(?<unit>us|ms|s|m|h)\s*$", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex PercentileLine();

    [GeneratedRegex(@"^\s*Non-2xx or 3xx responses:\s+(?<count>[0-9]+)", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex NonSuccessLine();

    [GeneratedRegex(@"Socket errors: connect (?<connect>[0-9]+), read (?<read>[0-9]+), write (?<write>[0-9]+), timeout (?<timeout>[0-9]+)", RegexOptions.CultureInvariant)]
    private static partial Regex SocketErrorsLine();
}
