using System.Security.Cryptography;
using Rtgf.Core.Signing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Appends batches to the transparency log, each at most once, while holding the log's writer lease (ADR 0015): a publication
/// holds it from its first append to its last, so deliveries of one plan take turns instead of racing (and certifying keys)
/// side by side. Per batch it checks the journal: an earlier attempt whose batch the log already holds where it was journalled
/// returns those indexes; otherwise it journals where the batch will land (the current size), how many entries and their
/// digest, then integrates. The check and the append happen under the one lease, so no other writer can append in between.
/// </summary>
internal sealed class LogAppender : IAsyncDisposable
{
    /// <summary>How long opening waits for another writer's lease before it gives up as busy (the request is re-queued).</summary>
    public static readonly TimeSpan LeasePatience = TimeSpan.FromSeconds(20);

    private const int MaxConflictRetries = 5;

    private readonly IRecordStore _records;
    private readonly ILogObjectStore _store;
    private readonly LogWriterLease _lease;
    private readonly LogIntegrator _integrator;

    private LogAppender(IRecordStore records, ILogObjectStore store, LogWriterLease lease, ISigner issuer, string origin)
    {
        _records = records;
        _store = store;
        _lease = lease;
        _integrator = new LogIntegrator(store, origin, issuer);
    }

    /// <summary>Takes the log's writer lease and returns an appender holding it; disposing releases it.</summary>
    /// <exception cref="PublicationWaitException">Another writer held the lease for longer than <see cref="LeasePatience"/>.</exception>
    public static async Task<LogAppender> OpenAsync(
        IRecordStore records, ILogObjectStore store, ILogWriterLock writerLock, ISigner issuer, string origin, CancellationToken cancellationToken)
    {
        try
        {
            var lease = await LogWriterLease.AcquireAsync(writerLock, LeasePatience, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new LogAppender(records, store, lease, issuer, origin);
        }
        catch (LogBusyException busy)
        {
            // Another writer (usually another delivery of the same publication) is at work: a wait, not a failure.
            throw new PublicationWaitException(PublicationWaitReason.Busy, busy.Message, busy);
        }
    }

    /// <summary>The current log size.</summary>
    public async Task<long> SizeAsync(CancellationToken cancellationToken) =>
        (await _integrator.LoadAsync(cancellationToken).ConfigureAwait(false)).Checkpoint.Size;

    /// <summary>Renews the lease if due: called between long stretches of work that write nothing to the log.</summary>
    /// <exception cref="PublicationWaitException">The lease was lost to another writer.</exception>
    public async Task KeepAsync(CancellationToken cancellationToken)
    {
        try
        {
            await _lease.EnsureHeldAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (LogLeaseLostException lost)
        {
            throw new PublicationWaitException(PublicationWaitReason.Busy, lost.Message, lost);
        }
    }

    /// <summary>Appends <paramref name="entries"/> once under (<paramref name="scope"/>, <paramref name="name"/>) and returns the first index.</summary>
    /// <exception cref="PublicationWaitException">The lease was lost to another writer; nothing of the batch was published.</exception>
    public async Task<long> AppendOnceAsync(string scope, string name, IReadOnlyList<string> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            throw new ArgumentException("A log batch needs at least one entry.", nameof(entries));
        }

        var bytes = entries.Select(e => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(e)).ToList();
        var digest = Digest(bytes);
        for (var attempt = 1; ; attempt++)
        {
            await KeepAsync(cancellationToken).ConfigureAwait(false);
            var journal = await _records.GetAsync(RecordTables.LogJournal, scope, name, PublishingJson.Default.JournalRow, cancellationToken).ConfigureAwait(false);
            if (journal is { Value: var previous } && previous.Count == bytes.Count && previous.Digest == digest &&
                await HoldsAsync(previous.FirstIndex, bytes.Count, digest, cancellationToken).ConfigureAwait(false))
            {
                return previous.FirstIndex; // an earlier attempt appended this batch already
            }

            var size = await SizeAsync(cancellationToken).ConfigureAwait(false);
            await _records.UpsertAsync(RecordTables.LogJournal, scope, name, new JournalRow(size, bytes.Count, digest), PublishingJson.Default.JournalRow, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await _integrator.IntegrateAsync(bytes, _lease, cancellationToken).ConfigureAwait(false);
                return result.FirstIndex == size
                    ? size
                    : throw new LogConflictException($"The batch landed at {result.FirstIndex}, not at the journalled {size}: another writer appended under this writer's lease.");
            }
            catch (LogConflictException) when (attempt < MaxConflictRetries)
            {
                // A stalled writer's late write collided with ours; nothing of the batch was published. Re-check and retry.
            }
            catch (LogLeaseLostException lost)
            {
                throw new PublicationWaitException(PublicationWaitReason.Busy, lost.Message, lost);
            }
        }
    }

    public ValueTask DisposeAsync() => _lease.DisposeAsync();

    private async Task<bool> HoldsAsync(long first, int count, string digest, CancellationToken cancellationToken)
    {
        var size = await SizeAsync(cancellationToken).ConfigureAwait(false);
        if (first + count > size)
        {
            return false;
        }

        var reader = new LogReader(new StoreObjectSource(_store));
        var stored = new List<ReadOnlyMemory<byte>>(count);
        for (var i = 0; i < count; i++)
        {
            stored.Add(await reader.GetEntryAsync(first + i, size, cancellationToken).ConfigureAwait(false));
        }

        return Digest(stored) == digest;
    }

    private static string Digest(IReadOnlyList<ReadOnlyMemory<byte>> entries)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        Span<byte> length = stackalloc byte[4];
        foreach (var entry in entries)
        {
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(length, entry.Length);
            hash.AppendData(length);
            hash.AppendData(entry.Span);
        }

        return Convert.ToHexStringLower(hash.GetHashAndReset());
    }
}
