using System.Globalization;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// The expected interval of a six-field NCRONTAB schedule (<c>sec min hour day month day-of-week</c>): the longest gap
/// between consecutive occurrences over a fixed 62-day window (so monthly schedules are seen twice). Supports
/// <c>*</c>, numbers, ranges <c>a-b</c>, steps <c>*/n</c> and <c>a-b/n</c>, and lists.
/// </summary>
public static class NcrontabInterval
{
    private static readonly DateTimeOffset WindowStart = new(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private const int WindowDays = 62;

    public static TimeSpan Of(string schedule)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var fields = schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length != 6)
        {
            throw new FormatException($"NCRONTAB schedule '{schedule}' must have six fields (second minute hour day month day-of-week).");
        }

        var seconds = Field(fields[0], 0, 59, schedule);
        var minutes = Field(fields[1], 0, 59, schedule);
        var hours = Field(fields[2], 0, 23, schedule);
        var days = Field(fields[3], 1, 31, schedule);
        var months = Field(fields[4], 1, 12, schedule);
        var weekdays = Field(fields[5], 0, 7, schedule);
        if (weekdays[7])
        {
            weekdays[0] = true; // 7 is Sunday too
        }

        var dayRestricted = fields[3] != "*";
        var weekdayRestricted = fields[5] != "*";
        DateTimeOffset? first = null;
        DateTimeOffset? previous = null;
        var longest = TimeSpan.Zero;
        for (var day = 0; day < WindowDays; day++)
        {
            var date = WindowStart.AddDays(day);
            var dayMatches = dayRestricted && weekdayRestricted
                ? days[date.Day] || weekdays[(int)date.DayOfWeek]
                : days[date.Day] && weekdays[(int)date.DayOfWeek];
            if (!months[date.Month] || !dayMatches)
            {
                continue;
            }

            for (var h = 0; h < 24; h++)
            {
                if (!hours[h])
                {
                    continue;
                }

                for (var m = 0; m < 60; m++)
                {
                    if (!minutes[m])
                    {
                        continue;
                    }

                    for (var s = 0; s < 60; s++)
                    {
                        if (!seconds[s])
                        {
                            continue;
                        }

                        var at = date.AddHours(h).AddMinutes(m).AddSeconds(s);
                        first ??= at;
                        if (previous is { } p && at - p > longest)
                        {
                            longest = at - p;
                        }

                        previous = at;
                    }
                }
            }
        }

        if (first is null)
        {
            throw new FormatException($"NCRONTAB schedule '{schedule}' never fires.");
        }

        // A schedule seen once in the window (e.g. yearly) is at least the window long.
        return longest == TimeSpan.Zero ? TimeSpan.FromDays(WindowDays) : longest;
    }

    private static bool[] Field(string text, int min, int max, string schedule)
    {
        var allowed = new bool[max + 1];
        foreach (var part in text.Split(','))
        {
            var (range, step) = part.Split('/') switch
            {
                [var r] => (r, 1),
                [var r, var s] when int.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0 => (r, n),
                _ => throw Bad(),
            };
            int from, to;
            if (range == "*")
            {
                (from, to) = (min, max);
            }
            else if (range.Split('-') is [var a, var b] && Number(a, out from) && Number(b, out to))
            {
            }
            else if (Number(range, out from))
            {
                to = step > 1 ? max : from;
            }
            else
            {
                throw Bad();
            }

            if (from < min || to > max || from > to)
            {
                throw Bad();
            }

            for (var v = from; v <= to; v += step)
            {
                allowed[v] = true;
            }
        }

        return allowed;

        FormatException Bad() => new($"NCRONTAB schedule '{schedule}': field '{text}' is not a valid value list for {min}-{max}.");
    }

    private static bool Number(string text, out int value) => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
}
