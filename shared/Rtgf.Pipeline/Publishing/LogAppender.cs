using System.Security.Cryptography;
using Rtgf.Core.Signing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Appends a batch to the transparency log at most once. Under the log's writer lease (so no other writer appends meanwhile) it
/// checks the journal: an earlier attempt whose batch the log already holds where it was journalled returns those indexes;
/// otherwise it journals where the batch will land (the current size), how many entries and their digest, then integrates.
/// </summary>
internal sealed class LogAppender
{
    /// <summary>How long an append waits for another writer's lease (one chunk's integration) before it gives up as busy.</summary>
    public static readonly TimeSpan LeasePatience = TimeSpan.FromMinutes(2);

    private const int MaxConflictRetries = 5;

    private readonly IRecordStore _records;
    private readonly ILogObjectStore _store;
    private readonly ILogWriterLock _writerLock;
    private readonly TimeProvider _time;
    private readonly LogIntegrator _integrator;

    public LogAppender(IRecordStore records, ILogObjectStore store, ILogWriterLock writerLock, ISigner issuer, string origin, TimeProvider time)
    {
        _records = records;
        _store = store;
        _writerLock = writerLock;
        _time = time;
        _integrator = new LogIntegrator(store, origin, issuer);
    }

    /// <summary>The current log size.</summary>
    public async Task<long> SizeAsync(CancellationToken cancellationToken) =>
        (await _integrator.LoadAsync(cancellationToken).ConfigureAwait(false)).Checkpoint.Size;

    /// <summary>Appends <paramref name="entries"/> once under (<paramref name="scope"/>, <paramref name="name"/>) and returns the first index.</summary>
    /// <exception cref="LogBusyException">Another writer held the lease for longer than <see cref="LeasePatience"/>.</exception>
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
            await using var lease = await LogWriterLease.AcquireAsync(_writerLock, _time, LeasePatience, cancellationToken: cancellationToken).ConfigureAwait(false);
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
                var result = await _integrator.IntegrateAsync(bytes, lease, cancellationToken).ConfigureAwait(false);
                return result.FirstIndex == size
                    ? size
                    : throw new LogConflictException($"The batch landed at {result.FirstIndex}, not at the journalled {size}: another writer appended under this writer's lease.");
            }
            catch (Exception e) when (e is LogConflictException or LogLeaseLostException && attempt < MaxConflictRetries)
            {
                // Nothing of the batch was published; take the lease again, re-check the journal and retry.
            }
        }
    }

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
