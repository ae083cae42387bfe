using System.Security.Cryptography;
using Rtgf.Core.Signing;
using Rtgf.Transparency.Integration;
using Rtgf.Transparency.Storage;
using Rtgf.Transparency.Tiles;

namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// Appends a batch to the transparency log at most once. Before integrating, it journals where the batch should land (the
/// current size), how many entries and their digest; a retry that finds the journal checks whether the log already holds
/// exactly those entries there and, if so, returns their indexes instead of appending again.
/// </summary>
internal sealed class LogAppender
{
    private const int MaxConflictRetries = 5;

    private readonly IRecordStore _records;
    private readonly ILogObjectStore _store;
    private readonly LogIntegrator _integrator;

    public LogAppender(IRecordStore records, ILogObjectStore store, ISigner issuer, string origin)
    {
        _records = records;
        _store = store;
        _integrator = new LogIntegrator(store, origin, issuer);
    }

    /// <summary>The current log size.</summary>
    public async Task<long> SizeAsync(CancellationToken cancellationToken) =>
        (await _integrator.LoadAsync(cancellationToken).ConfigureAwait(false)).Checkpoint.Size;

    /// <summary>Appends <paramref name="entries"/> once under (<paramref name="scope"/>, <paramref name="name"/>) and returns the first index.</summary>
    public async Task<long> AppendOnceAsync(string scope, string name, IReadOnlyList<string> entries, CancellationToken cancellationToken)
    {
        if (entries.Count == 0)
        {
            throw new ArgumentException("A log batch needs at least one entry.", nameof(entries));
        }

        var bytes = entries.Select(e => (ReadOnlyMemory<byte>)System.Text.Encoding.UTF8.GetBytes(e)).ToList();
        var digest = Digest(bytes);
        var journal = await _records.GetAsync(RecordTables.LogJournal, scope, name, PublishingJson.Default.JournalRow, cancellationToken).ConfigureAwait(false);
        if (journal is { Value: var previous } && previous.Count == bytes.Count && previous.Digest == digest &&
            await HoldsAsync(previous.FirstIndex, bytes.Count, digest, cancellationToken).ConfigureAwait(false))
        {
            return previous.FirstIndex; // an earlier attempt appended this batch already
        }

        for (var attempt = 1; ; attempt++)
        {
            var size = await SizeAsync(cancellationToken).ConfigureAwait(false);
            await _records.UpsertAsync(RecordTables.LogJournal, scope, name, new JournalRow(size, bytes.Count, digest), PublishingJson.Default.JournalRow, cancellationToken).ConfigureAwait(false);
            try
            {
                var result = await _integrator.IntegrateAsync(bytes, cancellationToken).ConfigureAwait(false);
                if (result.FirstIndex != size)
                {
                    // Another writer appended between the journal write and the integration: record where the batch really is.
                    await _records.UpsertAsync(RecordTables.LogJournal, scope, name, new JournalRow(result.FirstIndex, bytes.Count, digest), PublishingJson.Default.JournalRow, cancellationToken).ConfigureAwait(false);
                }

                return result.FirstIndex;
            }
            catch (LogConflictException) when (attempt < MaxConflictRetries)
            {
                // Nothing of the batch was published; reload and try again.
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
