namespace Rtgf.Pipeline.Ingest;

/// <summary>One clear line for the ingest-runs table: where it failed, the exception type and message (inner message too).</summary>
internal static class ErrorLines
{
    private const int MaxLength = 1000;

    public static string For(Exception exception, string? step = null)
    {
        ArgumentNullException.ThrowIfNull(exception);
        var text = $"{exception.GetType().Name}: {exception.Message}";
        if (exception.InnerException is { } inner && !exception.Message.Contains(inner.Message, StringComparison.Ordinal))
        {
            text += $" ({inner.GetType().Name}: {inner.Message})";
        }

        if (step is not null)
        {
            text = step + ": " + text;
        }

        text = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return text.Length <= MaxLength ? text : text[..MaxLength];
    }
}
