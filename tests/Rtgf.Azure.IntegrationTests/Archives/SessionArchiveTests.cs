using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using Azure.Storage.Blobs;
using Azure.Storage.Blobs.Models;
using Rtgf.Azure.Archives;
using Rtgf.Azure.Audit;
using Rtgf.Azure.Sessions;
using Rtgf.Core.Encryption;
using Rtgf.Pipeline.Audit;
using Rtgf.Pipeline.Operations;
using Rtgf.Pipeline.Sessions;
using Rtgf.Testing;

namespace Rtgf.Azure.IntegrationTests.Archives;

/// <summary>
/// Sessions, <c>session-archiver</c>, <c>archive-purge</c> and restore on Azurite (docs/spec/archives.md): ended and
/// expired sessions move to encrypted archives exactly once, across a crash between write and delete and with two
/// instances at once; the purge deletes only archives older than the retention; a restore is audited and refuses a
/// wrong key, a changed byte and a missing blob.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SessionArchiveTests(AzuriteFixture azurite)
{
    private static readonly DateTimeOffset Start = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    private static readonly LocalDevelopmentKeyWrapper Key = new(Enumerable.Repeat((byte)5, 32).ToArray());

    [Fact]
    public async Task Store_StartsResumesAndEnds_KeepingOnlyTheSecretsHash()
    {
        var prefix = azurite.UniqueName("ss");
        var clock = new ManualTimeProvider(Start);
        var store = new TableSessionStore(() => azurite.TableService(), clock, prefix);

        var (secret, session) = await store.StartAsync("ops@example.org", SessionKinds.MagicLink, TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromMinutes(5));
        var resumed = await store.ResumeAsync(secret);
        await store.EndAsync(secret);
        var afterEnd = await store.ResumeAsync(secret);

        Assert.Equal(SessionSecret.Id(secret), session.Id);
        Assert.Equal(Start.AddMinutes(5), resumed!.LastSeen);
        Assert.Null(afterEnd);
        Assert.Null(await store.ResumeAsync("not-a-secret"));
        var row = Assert.Single(await Rows(prefix));
        Assert.Equal(session.Id, row.RowKey);
        Assert.DoesNotContain(((IDictionary<string, object>)row).Values, v => v is string s && s.Contains(secret, StringComparison.Ordinal));
        await Assert.ThrowsAsync<ArgumentException>(() => store.StartAsync("x", "cookie", TimeSpan.FromHours(1)));
    }

    [Fact]
    public async Task Store_SignOutWhoseRowAParallelResumeChanged_StillEndsTheSession()
    {
        // The parallel request's last-seen update lands between the sign-out's read and its conditional write (stale ETag).
        var prefix = azurite.UniqueName("ss");
        var clock = new ManualTimeProvider(Start);
        var plain = new TableSessionStore(() => azurite.TableService(), clock, prefix);
        var (secret, _) = await plain.StartAsync("ops@example.org", SessionKinds.MagicLink, TimeSpan.FromHours(1));
        clock.Advance(TimeSpan.FromMinutes(1));
        var interleaved = new TableSessionStore(() => azurite.TableService(BeforeFirstWrite(() => plain.ResumeAsync(secret))), clock, prefix);

        await interleaved.EndAsync(secret);

        var row = Assert.Single(await Rows(prefix));
        Assert.Equal(Start.AddMinutes(1), row.GetDateTimeOffset("LastSeen")); // the parallel resume did land first
        Assert.NotNull(row.GetDateTimeOffset("Ended"));
        Assert.Null(await plain.ResumeAsync(secret));
    }

    [Fact]
    public async Task Store_ResumeWhoseRowAParallelResumeChanged_ReturnsTheSession()
    {
        var prefix = azurite.UniqueName("ss");
        var clock = new ManualTimeProvider(Start);
        var plain = new TableSessionStore(() => azurite.TableService(), clock, prefix);
        var (secret, session) = await plain.StartAsync("ops@example.org", SessionKinds.MagicLink, TimeSpan.FromHours(1));
        var interleaved = new TableSessionStore(() => azurite.TableService(BeforeFirstWrite(() => plain.ResumeAsync(secret))), clock, prefix);

        var resumed = await interleaved.ResumeAsync(secret);

        Assert.Equal(session.Id, resumed?.Id);
    }

    [Fact]
    public async Task Store_ManyConcurrentResumes_AllReturnTheSession()
    {
        var prefix = azurite.UniqueName("ss");
        var clock = new ManualTimeProvider(Start);
        var store = new TableSessionStore(() => azurite.TableService(), clock, prefix);
        var (secret, session) = await store.StartAsync("ops@example.org", SessionKinds.MagicLink, TimeSpan.FromHours(1));

        var resumed = await Task.WhenAll(Enumerable.Range(0, 12).Select(_ => Task.Run(() => store.ResumeAsync(secret))));

        Assert.All(resumed, r => Assert.Equal(session.Id, r?.Id));
    }

    [Fact]
    public async Task Archiver_MovesEndedAndExpiredSessions_AndLeavesActiveOnes()
    {
        var prefix = azurite.UniqueName("sa");
        var clock = new ManualTimeProvider(Start);
        var store = new TableSessionStore(() => azurite.TableService(), clock, prefix);
        var (endedSecret, ended) = await store.StartAsync("a@example.org", SessionKinds.MagicLink, TimeSpan.FromDays(1));
        var (_, expiring) = await store.StartAsync("key_123", SessionKinds.ApiKeyOwner, TimeSpan.FromHours(1));
        var (_, active) = await store.StartAsync("b@example.org", SessionKinds.MagicLink, TimeSpan.FromDays(1));
        clock.Advance(TimeSpan.FromMinutes(30));
        await store.EndAsync(endedSecret);
        clock.Advance(TimeSpan.FromHours(1));

        var summary = await Archiver(prefix, clock).RunAsync();

        Assert.Equal(new SessionArchiveSummary(2, 0, 0, false), summary);
        Assert.Equal([active.Id], (await Rows(prefix)).Select(r => r.RowKey));
        var names = await BlobNames(prefix);
        Assert.Equal([.. new[] { SessionArchiver.BlobName(ended with { Ended = Start.AddMinutes(30) }), SessionArchiver.BlobName(expiring) }.Order(StringComparer.Ordinal)], names);
        Assert.Equal($"sessions/2026/12/05/{expiring.Id}.rtgfenc", SessionArchiver.BlobName(expiring));

        var opened = await ArchiveEnvelope.OpenAsync(await Download(prefix, SessionArchiver.BlobName(expiring)), Key);
        var restored = JsonDocument.Parse(opened.Plaintext).RootElement.EnumerateArray().Single();
        Assert.Equal(("key_123", "api-key-owner", expiring.Id), (restored.GetProperty("subject").GetString(), restored.GetProperty("kind").GetString(), restored.GetProperty("id").GetString()));
        Assert.Equal(expiring.Id, opened.Header.Metadata["session-id"]);
        Assert.Equal("api-key-owner", opened.Header.Metadata["kind"]);
        Assert.Equal("1", opened.Header.Metadata["count"]);
        Assert.Equal("2026-12-05T10:30:00.0000000Z", opened.Header.Metadata["archived-at"]);
        Assert.Equal("2026-12-05T10:00:00.0000000Z", opened.Header.Metadata["ended"]);
        Assert.DoesNotContain(opened.Header.Metadata.Values, v => v.Contains("key_123", StringComparison.Ordinal)); // the subject is only in the ciphertext
    }

    [Fact]
    public async Task Archiver_CrashBetweenWriteAndDelete_ReRunNeitherLosesNorDuplicates()
    {
        var prefix = azurite.UniqueName("sc");
        var clock = new ManualTimeProvider(Start);
        var store = new TableSessionStore(() => azurite.TableService(), clock, prefix);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            ids.Add((await store.StartAsync("user" + i + "@example.org", SessionKinds.MagicLink, TimeSpan.FromMinutes(10))).Session.Id);
        }

        clock.Advance(TimeSpan.FromHours(1));
        var crashing = new SessionArchiver(() => azurite.TableService(), () => azurite.BlobService(), Key, clock, prefix: prefix)
        {
            AfterWrite = _ => throw new InvalidOperationException("crash after the first archive was written"),
        };

        await Assert.ThrowsAsync<InvalidOperationException>(() => crashing.RunAsync());
        Assert.Single(await BlobNames(prefix));
        Assert.Equal(4, (await Rows(prefix)).Count);
        var rerun = await Archiver(prefix, clock).RunAsync();

        Assert.Equal(new SessionArchiveSummary(3, 1, 0, false), rerun);
        Assert.Empty(await Rows(prefix));
        var names = await BlobNames(prefix);
        Assert.Equal([.. ids.Select(id => $"sessions/2026/12/05/{id}.rtgfenc").Order(StringComparer.Ordinal)], names);
        foreach (var name in names)
        {
            Assert.Single(JsonDocument.Parse((await ArchiveEnvelope.OpenAsync(await Download(prefix, name), Key)).Plaintext).RootElement.EnumerateArray());
        }
    }

    [Fact]
    public async Task Archiver_TwoInstancesAtOnce_ArchiveEachSessionOnce()
    {
        var prefix = azurite.UniqueName("sd");
        var clock = new ManualTimeProvider(Start);
        var store = new TableSessionStore(() => azurite.TableService(), clock, prefix);
        var ids = new List<string>();
        for (var i = 0; i < 30; i++)
        {
            ids.Add((await store.StartAsync("user" + i + "@example.org", SessionKinds.MagicLink, TimeSpan.FromMinutes(10))).Session.Id);
        }

        clock.Advance(TimeSpan.FromHours(1));

        var runs = await Task.WhenAll(Task.Run(() => Archiver(prefix, clock).RunAsync()), Task.Run(() => Archiver(prefix, clock).RunAsync()));

        Assert.Equal(30, runs.Sum(r => r.Archived)); // each archive written by exactly one instance
        Assert.Empty(await Rows(prefix));
        Assert.Equal([.. ids.Select(id => $"sessions/2026/12/05/{id}.rtgfenc").Order(StringComparer.Ordinal)], await BlobNames(prefix));
    }

    [Fact]
    public async Task Archiver_StopsAtItsCap_AndTheNextRunGoesOn()
    {
        var prefix = azurite.UniqueName("sx");
        var clock = new ManualTimeProvider(Start);
        var store = new TableSessionStore(() => azurite.TableService(), clock, prefix);
        for (var i = 0; i < 3; i++)
        {
            await store.StartAsync("u" + i, SessionKinds.MagicLink, TimeSpan.FromMinutes(1));
        }

        clock.Advance(TimeSpan.FromMinutes(2));
        var archiver = new SessionArchiver(() => azurite.TableService(), () => azurite.BlobService(), Key, clock, maxSessionsPerRun: 2, prefix: prefix);

        Assert.Equal(new SessionArchiveSummary(2, 0, 0, true), await archiver.RunAsync());
        Assert.Equal(new SessionArchiveSummary(1, 0, 0, false), await archiver.RunAsync());
        Assert.Equal(3, (await BlobNames(prefix)).Count);
    }

    [Fact]
    public async Task Purge_KeepsYoungAndBoundaryArchives_DeletesOldOnes_AndAllowsForClockSkew()
    {
        var prefix = azurite.UniqueName("pg");
        var created = await PutArchiveAsync(prefix, "sessions/2026/12/05/a.rtgfenc");
        var boundary = created.AddMonths(12) + ArchiveSettings.SkewMargin; // cutoff == creation time: kept

        Assert.Equal((0, 1), await PurgeAt(prefix, created.AddMonths(11)));       // young
        Assert.Equal((0, 1), await PurgeAt(prefix, created.AddMonths(12)));       // 12 months exactly, inside the skew margin
        Assert.Equal((0, 1), await PurgeAt(prefix, created.AddMonths(12).AddHours(12))); // a clock 12 hours fast
        Assert.Equal((0, 1), await PurgeAt(prefix, boundary));                    // exactly at the boundary
        Assert.Equal(["sessions/2026/12/05/a.rtgfenc"], await BlobNames(prefix));
        Assert.Equal((1, 0), await PurgeAt(prefix, boundary.AddSeconds(1)));      // old
        Assert.Empty(await BlobNames(prefix));
    }

    [Fact]
    public async Task Purge_JudgesByCreationTime_NotByAForgedHeaderDate_AndLeavesOtherPrefixesAlone()
    {
        var prefix = azurite.UniqueName("pf");
        var forged = await ArchiveEnvelope.SealAsync("[]"u8.ToArray(), new Dictionary<string, string> { ["archived-at"] = "2020-01-01T00:00:00.0000000Z" }, Key);
        var created = await PutArchiveAsync(prefix, "sessions/2020/01/01/forged.rtgfenc", forged);
        await PutArchiveAsync(prefix, "backups/other.rtgfenc");

        Assert.Equal((0, 1), await PurgeAt(prefix, created.AddMonths(1)));
        Assert.Equal((1, 0), await PurgeAt(prefix, created.AddMonths(13)));
        Assert.Equal(["backups/other.rtgfenc"], await BlobNames(prefix, string.Empty));
    }

    [Fact]
    public async Task Purge_TwoInstancesAtOnce_DeleteEachOldArchiveOnce()
    {
        var prefix = azurite.UniqueName("pc");
        var created = DateTimeOffset.MinValue;
        for (var i = 0; i < 10; i++)
        {
            var at = await PutArchiveAsync(prefix, $"sessions/2025/01/01/{i}.rtgfenc");
            created = at > created ? at : created;
        }

        var clock = new ManualTimeProvider(created.AddMonths(13));
        var runs = await Task.WhenAll(
            Task.Run(() => new ArchivePurge(() => azurite.BlobService(), clock, 12, prefix).RunAsync()),
            Task.Run(() => new ArchivePurge(() => azurite.BlobService(), clock, 12, prefix).RunAsync()));

        Assert.Equal(10, runs.Sum(r => r.Deleted)); // each deleted by exactly one instance
        Assert.Empty(await BlobNames(prefix));
    }

    [Theory]
    [InlineData("11")]
    [InlineData("0")]
    [InlineData("-12")]
    [InlineData("twelve")]
    [InlineData("12.5")]
    public void Retention_BelowTwelveMonthsOrNotAWholeNumber_IsRefused(string value)
    {
        var error = Assert.Throws<InvalidOperationException>(() => ArchiveSettings.Retention(value));

        Assert.Contains("at least 12 months", error.Message, StringComparison.Ordinal);
        Assert.Throws<ArgumentOutOfRangeException>(() => new ArchivePurge(() => azurite.BlobService(), new ManualTimeProvider(Start), 11));
        Assert.Equal(12, ArchiveSettings.Retention(null));
        Assert.Equal(24, ArchiveSettings.Retention("24"));
    }

    [Fact]
    public async Task Restore_DecryptsAndAuditsTheActor()
    {
        var (prefix, name, clock) = await ArchivedSessionAsync();
        var audit = new TableAuditTrail(() => azurite.TableService(), prefix);

        var opened = await ArchiveRestore.RestoreAsync(Container(prefix), name, Key, audit, "alice@ops", clock);

        Assert.Equal("ops@example.org", JsonDocument.Parse(opened.Plaintext).RootElement[0].GetProperty("subject").GetString());
        var entry = Assert.Single(await AuditRows(prefix));
        Assert.Equal(("alice@ops", AuditActions.ArchiveRestored, name), (entry.GetString("Actor"), entry.GetString("Action"), entry.GetString("Subject")));
        Assert.DoesNotContain("ops@example.org", entry.GetString("Details"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Restore_WrongKeyFlippedBitOrMissingBlob_FailsAndAuditsNothing()
    {
        var (prefix, name, clock) = await ArchivedSessionAsync();
        var audit = new TableAuditTrail(() => azurite.TableService(), prefix);
        var bytes = await Download(prefix, name);
        bytes[^5] ^= 0x01;
        await Container(prefix).GetBlobClient("sessions/flipped.rtgfenc").UploadAsync(BinaryData.FromBytes(bytes));

        await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveRestore.RestoreAsync(Container(prefix), name, new LocalDevelopmentKeyWrapper(new byte[32]), audit, "alice", clock));
        await Assert.ThrowsAsync<ArchiveDecryptionException>(() => ArchiveRestore.RestoreAsync(Container(prefix), "sessions/flipped.rtgfenc", Key, audit, "alice", clock));
        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => ArchiveRestore.RestoreAsync(Container(prefix), "sessions/none.rtgfenc", Key, audit, "alice", clock));

        Assert.Contains("No archive 'sessions/none.rtgfenc'", missing.Message, StringComparison.Ordinal);
        Assert.Empty(await AuditRows(prefix));
    }

    private async Task<(string Prefix, string Name, ManualTimeProvider Clock)> ArchivedSessionAsync()
    {
        var prefix = azurite.UniqueName("rs");
        var clock = new ManualTimeProvider(Start);
        var store = new TableSessionStore(() => azurite.TableService(), clock, prefix);
        var (_, session) = await store.StartAsync("ops@example.org", SessionKinds.MagicLink, TimeSpan.FromMinutes(10));
        clock.Advance(TimeSpan.FromHours(1));
        await Archiver(prefix, clock).RunAsync();
        return (prefix, SessionArchiver.BlobName(session), clock);
    }

    /// <summary>Table options whose first conditional write (If-Match) waits for <paramref name="action"/> to run first.</summary>
    private static TableClientOptions BeforeFirstWrite(Func<Task> action)
    {
        var options = new TableClientOptions();
        options.AddPolicy(new BeforeFirstWritePolicy(action), global::Azure.Core.HttpPipelinePosition.PerCall);
        return options;
    }

    private SessionArchiver Archiver(string prefix, TimeProvider clock) =>
        new(() => azurite.TableService(), () => azurite.BlobService(), Key, clock, prefix: prefix);

    private BlobContainerClient Container(string prefix) => azurite.BlobService().GetBlobContainerClient(prefix + OperationsStorage.ArchivesContainer);

    private async Task<(int Deleted, int Kept)> PurgeAt(string prefix, DateTimeOffset now)
    {
        var summary = await new ArchivePurge(() => azurite.BlobService(), new ManualTimeProvider(now), 12, prefix).RunAsync();
        return (summary.Deleted, summary.Kept);
    }

    private async Task<DateTimeOffset> PutArchiveAsync(string prefix, string name, byte[]? content = null)
    {
        var container = Container(prefix);
        await container.CreateIfNotExistsAsync();
        var blob = container.GetBlobClient(name);
        await blob.UploadAsync(BinaryData.FromBytes(content ?? await ArchiveEnvelope.SealAsync("[]"u8.ToArray(), new Dictionary<string, string>(), Key)));
        return (await blob.GetPropertiesAsync()).Value.CreatedOn;
    }

    private async Task<byte[]> Download(string prefix, string name) =>
        (await Container(prefix).GetBlobClient(name).DownloadContentAsync()).Value.Content.ToArray();

    private async Task<List<string>> BlobNames(string prefix, string under = SessionArchiver.BlobPrefix)
    {
        var names = new List<string>();
        var container = Container(prefix);
        if (!(await container.ExistsAsync()).Value)
        {
            return names;
        }

        await foreach (var item in container.GetBlobsAsync(BlobTraits.None, BlobStates.None, under, default))
        {
            names.Add(item.Name);
        }

        return [.. names.Order(StringComparer.Ordinal)];
    }

    private async Task<List<TableEntity>> Rows(string prefix)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in azurite.TableService().GetTableClient(prefix + OperationsStorage.SessionsTable).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        return rows;
    }

    private async Task<List<TableEntity>> AuditRows(string prefix)
    {
        var rows = new List<TableEntity>();
        try
        {
            await foreach (var row in azurite.TableService().GetTableClient(prefix + OperationsStorage.AuditTable).QueryAsync<TableEntity>())
            {
                if (row.RowKey.StartsWith("e-", StringComparison.Ordinal))
                {
                    rows.Add(row);
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No audit table: nothing was ever appended.
        }

        return rows;
    }
}

/// <summary>Runs an action once, just before the first request that carries If-Match is sent.</summary>
internal sealed class BeforeFirstWritePolicy(Func<Task> action) : global::Azure.Core.Pipeline.HttpPipelinePolicy
{
    private int _ran;

    public override void Process(global::Azure.Core.HttpMessage message, ReadOnlyMemory<global::Azure.Core.Pipeline.HttpPipelinePolicy> pipeline) =>
        throw new NotSupportedException("The store is asynchronous.");

    public override async ValueTask ProcessAsync(global::Azure.Core.HttpMessage message, ReadOnlyMemory<global::Azure.Core.Pipeline.HttpPipelinePolicy> pipeline)
    {
        if (message.Request.Headers.Contains("If-Match") && Interlocked.Exchange(ref _ran, 1) == 0)
        {
            await action();
        }

        await ProcessNextAsync(message, pipeline);
    }
}
