using System.Text;
using System.Text.Json;
using Rtgf.CustomHandler.Catalog;

namespace Rtgf.CustomHandler.Metadata;

/// <summary>Writes a definition as the <c>function.json</c> the Functions host reads (same bytes every time).</summary>
public static class FunctionJson
{
    public const string FileName = "function.json";

    public static string Write(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true, NewLine = "\n" }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray("bindings");
            WriteTrigger(writer, function.Trigger);
            foreach (var output in function.Outputs)
            {
                WriteOutput(writer, output);
            }

            writer.WriteEndArray();
            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray()) + "\n";
    }

    private static void WriteTrigger(Utf8JsonWriter writer, FunctionTrigger trigger)
    {
        writer.WriteStartObject();
        writer.WriteString("type", trigger.BindingType);
        writer.WriteString("direction", "in");
        writer.WriteString("name", trigger.BindingName);
        switch (trigger)
        {
            case TimerTrigger timer:
                writer.WriteString("schedule", timer.Schedule);
                writer.WriteBoolean("runOnStartup", timer.RunOnStartup);
                writer.WriteBoolean("useMonitor", timer.UseMonitor);
                break;
            case IQueueBinding queue:
                WriteQueue(writer, queue);
                break;
            case HttpTrigger http:
                writer.WriteString("authLevel", http.AuthLevel.ToString().ToLowerInvariant());
                if (http.Methods.Count > 0)
                {
                    writer.WriteStartArray("methods");
                    foreach (var method in http.Methods)
                    {
                        writer.WriteStringValue(method);
                    }

                    writer.WriteEndArray();
                }

                writer.WriteString("route", http.Route);
                break;
        }

        writer.WriteEndObject();
    }

    private static void WriteOutput(Utf8JsonWriter writer, OutputBinding output)
    {
        writer.WriteStartObject();
        writer.WriteString("type", output.BindingType);
        writer.WriteString("direction", "out");
        writer.WriteString("name", output.Name);
        if (output is IQueueBinding queue)
        {
            WriteQueue(writer, queue);
        }

        writer.WriteEndObject();
    }

    private static void WriteQueue(Utf8JsonWriter writer, IQueueBinding queue)
    {
        writer.WriteString("queueName", queue.QueueName);
        writer.WriteString("connection", queue.Connection);
    }
}
