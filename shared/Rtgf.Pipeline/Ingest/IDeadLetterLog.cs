namespace Rtgf.Pipeline.Ingest;

/// <summary>The <c>deadletters</c> table: poison messages completed without retrying, with the reason.</summary>
public interface IDeadLetterLog
{
    Task RecordAsync(DeadLetter letter, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<DeadLetter>> ListAsync(string queue, CancellationToken cancellationToken = default);
}
