namespace Rtgf.Ingestion.Enrichment;

/// <summary>
/// The geocoder refused the key (<c>REQUEST_DENIED</c>) or its daily quota is spent (<c>OVER_DAILY_LIMIT</c>): no request
/// will succeed until an operator (or the next day) changes that, so the enrichment run pauses, resumable, instead of
/// retrying or recording RTOs as not found. The message carries the status and Google's error_message, never the key.
/// </summary>
public sealed class GeocoderQuotaException : Exception
{
    public GeocoderQuotaException()
    {
    }

    public GeocoderQuotaException(string message)
        : base(message)
    {
    }

    public GeocoderQuotaException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    public string Status { get; init; } = string.Empty;
}
