using System.Text.Json;

namespace Rtgf.CustomHandler.Invocation;

/// <summary>
/// A timer trigger's data. <see cref="IsPastDue"/> is true when the run was missed (the app was down) and
/// fires late; the schedule status is null when the host does not monitor the schedule.
/// </summary>
public sealed record TimerInfo(bool IsPastDue, DateTimeOffset? Last, DateTimeOffset? Next, DateTimeOffset? LastUpdated, bool AdjustForDst)
{
    public static TimerInfo From(BindingValue value)
    {
        var data = value.Decoded;
        if (data.ValueKind != JsonValueKind.Object)
        {
            throw new InvalidInvocationException($"Timer data must be an object, not {data.ValueKind}.");
        }

        var status = Get(data, "ScheduleStatus");
        var schedule = Get(data, "Schedule");
        return new TimerInfo(
            Get(data, "IsPastDue") is { } pastDue && new BindingValue(pastDue).AsBoolean() == true,
            status is { } s1 ? Date(s1, "Last") : null,
            status is { } s2 ? Date(s2, "Next") : null,
            status is { } s3 ? Date(s3, "LastUpdated") : null,
            schedule is { } sc && Get(sc, "AdjustForDST") is { } adjust && new BindingValue(adjust).AsBoolean() == true);
    }

    private static DateTimeOffset? Date(JsonElement element, string name) =>
        Get(element, name) is { } value ? new BindingValue(value).AsDateTimeOffset() : null;

    private static JsonElement? Get(JsonElement element, string name)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return null;
        }

        foreach (var property in element.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase) && property.Value.ValueKind != JsonValueKind.Null)
            {
                return property.Value;
            }
        }

        return null;
    }
}
