using System.Globalization;

namespace Rtgf.Pipeline.Ingest;

/// <summary>Run ids derived from the source and the trigger time (to the second), so a re-fired trigger finds its own run.</summary>
public static class IngestRunIds
{
    public static string For(string source, DateTimeOffset triggeredAt) =>
        source + "-" + triggeredAt.ToUniversalTime().ToString("yyyyMMdd'T'HHmmss'Z'", CultureInfo.InvariantCulture);
}
