namespace Rtgf.Ingestion.Enrichment;

/// <summary>
/// The geocoder kept answering <c>OVER_QUERY_LIMIT</c> or <c>UNKNOWN_ERROR</c> after the client's bounded retries: transient,
/// so the page fails and its delivery is retried by the host (then the stall recovery re-sends it).
/// </summary>
public sealed class GeocoderBusyException : Exception
{
    public GeocoderBusyException()
    {
    }

    public GeocoderBusyException(string message)
        : base(message)
    {
    }

    public GeocoderBusyException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
