namespace Rtgf.Register.Stats;

/// <summary>The statistics of a build cannot be computed: the build is unknown, unpublished, or its snapshots are gone. The message names which.</summary>
public sealed class PublicationStatsException : Exception
{
    public PublicationStatsException()
    {
    }

    public PublicationStatsException(string message)
        : base(message)
    {
    }

    public PublicationStatsException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
