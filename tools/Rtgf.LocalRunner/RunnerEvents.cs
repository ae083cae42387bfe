using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Rtgf.LocalRunner;

/// <summary>How the runner reports what it does.</summary>
internal enum RunnerOutputFormat
{
    /// <summary>Aligned lines for people.</summary>
    Text,

    /// <summary>One JSON object per line, for tools and tests.</summary>
    Json,
}

/// <summary>
/// Everything the runner does, as events: one line each, written to stdout as text or JSON. An event is a
/// kind plus ordered fields; the text form shows the time, the kind and the fields.
/// </summary>
internal sealed class RunnerEvents(TextWriter output, RunnerOutputFormat format, TimeProvider timeProvider)
{
    private readonly object _gate = new();

    public void Emit(string kind, params (string Name, object? Value)[] fields)
    {
        var now = timeProvider.GetUtcNow();
        var line = format == RunnerOutputFormat.Json ? Json(now, kind, fields) : Text(now, kind, fields);
        lock (_gate)
        {
            output.WriteLine(line);
            output.Flush();
        }
    }

    private static string Json(DateTimeOffset now, string kind, (string Name, object? Value)[] fields)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("time", now.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            writer.WriteString("event", kind);
            foreach (var (name, value) in fields)
            {
                writer.WritePropertyName(name);
                JsonSerializer.Serialize(writer, value);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static string Text(DateTimeOffset now, string kind, (string Name, object? Value)[] fields)
    {
        var builder = new StringBuilder();
        builder.Append(now.ToString("HH:mm:ss.fff", CultureInfo.InvariantCulture)).Append("  ").Append(kind.PadRight(11));
        foreach (var (name, value) in fields)
        {
            if (value is null)
            {
                continue;
            }

            var text = value switch
            {
                double d => d.ToString("0.0", CultureInfo.InvariantCulture),
                IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
                System.Collections.IEnumerable list when value is not string => string.Join(",", list.Cast<object>()),
                _ => value.ToString(),
            };
            builder.Append(' ').Append(name).Append('=').Append(text);
        }

        return builder.ToString();
    }
}
