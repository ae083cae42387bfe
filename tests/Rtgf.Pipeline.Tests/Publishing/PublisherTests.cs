using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text.Json;
using Rtgf.Compiler;
using Rtgf.Core.Tokens;
using Rtgf.Pipeline.Freeze;
using Rtgf.Pipeline.Publishing;
using Rtgf.Pipeline.Revocation;
using Rtgf.Testing;
using Rtgf.Transparency.Merkle;

namespace Rtgf.Pipeline.Tests.Publishing;

[Collection(PublishingCollection.Name)]
public sealed class PublisherTests(AzuriteFixture azurite)
{
    private static readonly CompiledToken Alpha = TestTokens.Token("rto-registration", "rto:1", """{"name":"Alpha","status":"current"}""");
    private static readonly CompiledToken Bravo = TestTokens.Token("rto-registration", "rto:2", """{"name":"Bravo","status":"current"}""");
    private static readonly CompiledToken Charlie = TestTokens.Token("training-component", "tc:BSB50120", """{"title":"Diploma"}""");

    [Fact]
    public async Task PublishAsync_FirstBuild_IssuesLogsAndRegistersEveryToken()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var build = TestTokens.Build(Alpha, Bravo, Charlie);

        var publication = await world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build);

        Assert.Equal((3L, 0L, 0L, 0L), (publication.Issued, publication.Revoked, publication.Unchanged, publication.RevocationEpoch));
        Assert.Equal(await world.LogSizeAsync(), publication.TreeSize);
        var entries = await world.EntriesAsync();
        var size = entries.Count;
        var root = await world.Reader.GetRootAsync(size);
        var keys = await world.Keys.GetAsync();
        using var verifier = new Es256TokenVerifier(keys, new ManualTimeProvider(TestTokens.FetchedAt.AddDays(1)));
        foreach (var compiled in new[] { Alpha, Bravo, Charlie })
        {
            var token = await world.Registry.GetAsync(compiled.TokenId);
            Assert.NotNull(token);
            Assert.Equal((compiled.Family, compiled.Subject, compiled.FactsDigest, build.BuildId), (token.Family, token.Subject, token.FactsDigest, token.BuildId));

            // The log entry at the token's index names it and the exact JWS, and its inclusion proof verifies against the checkpoint.
            var entry = entries[(int)token.LogIndex];
            Assert.Equal("token", entry.GetProperty("type").GetString());
            Assert.Equal(compiled.TokenId, entry.GetProperty("tokenId").GetString());
            Assert.Equal("sha256:" + TestTokens.Hex(System.Text.Encoding.ASCII.GetBytes(token.Jws)), entry.GetProperty("tokenDigest").GetString());
            var leaf = MerkleHash.Leaf((await world.Reader.GetEntryAsync(token.LogIndex, size)).Span);
            var proof = await world.Reader.GetInclusionProofAsync(token.LogIndex, size);
            Assert.True(MerkleProofVerifier.VerifyInclusion(token.LogIndex, size, leaf, proof, root).IsValid);

            // The JWS verifies with the published JWKS (a certified publication key) and carries the status slot.
            var verdict = verifier.Verify(token.Jws);
            Assert.True(verdict.IsValid, string.Join("; ", verdict.Failures.Select(f => f.ToString())));
            Assert.Equal(compiled.Subject, verdict.Subject);
            Assert.Equal(Publisher.StatusListUri(PublishingWorld.BaseUrl, compiled.Family, 0), token.StatusListUri);
        }

        var rto = await world.Registry.ListAsync("rto-registration", null, 1);
        Assert.Equal("rto:1", Assert.Single(rto.Items).Subject);
        var next = await world.Registry.ListAsync("rto-registration", rto.NextCursor, 1);
        Assert.Equal("rto:2", Assert.Single(next.Items).Subject);
        Assert.Null(next.NextCursor);
        Assert.Equal(Charlie.TokenId, Assert.Single(await world.Registry.GetLatestAsync("tc:BSB50120")).TokenId);
        var families = await world.Registry.GetFamiliesAsync();
        Assert.Equal(["rto-registration", "training-component"], families.Select(f => f.Family));
        Assert.Equal([2L, 1L], families.Select(f => f.CurrentTokens));
        Assert.Equal(build.BuildId, (await world.Registry.GetLatestPublicationAsync())?.BuildId);
        var jwks = Assert.Single(PublishingWorld.OfType(entries, "jwks"));
        Assert.Equal(keys.Keys[1].Kid, jwks.GetProperty("added")[0].GetString());
        Assert.Equal(2, PublishingWorld.OfType(entries, "revocation").Count()); // both families' lists published (all valid)
    }

    [Fact]
    public async Task PublishAsync_Redelivered_ChangesNothing()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var build = TestTokens.Build(Alpha, Bravo, Charlie);
        var first = await world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build);
        var entries = await world.EntriesAsync();
        var token = await world.Registry.GetAsync(Alpha.TokenId);

        var again = await world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build);

        Assert.Equal(first, again);
        Assert.Equal(entries.Count, await world.LogSizeAsync());
        Assert.Equal(token, await world.Registry.GetAsync(Alpha.TokenId));
        Assert.Equal(2, (await world.Registry.ListAsync("rto-registration", null, 10)).Items.Count);
    }

    [Fact]
    public async Task PublishAsync_ChangedFactAndRemovedSubject_RevokesExactlyThoseAndIssuesReplacement()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var first = TestTokens.Build(Alpha, Bravo, Charlie);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(first), first);
        var later = TestTokens.FetchedAt.AddDays(1);
        var alpha2 = TestTokens.Token("rto-registration", "rto:1", """{"status":"current","name":"Alpha"}""", later);
        var bravo2 = TestTokens.Token("rto-registration", "rto:2", """{"name":"Bravo","status":"cancelled"}""", later);
        var second = TestTokens.Build([new BuildInput("test", "sha256:" + new string('1', 64), 2)], [alpha2, bravo2]);
        var sizeBefore = await world.LogSizeAsync();

        var publication = await world.Publisher().PublishAsync(BuildCompilation.ToStored(second), second);

        Assert.Equal((1L, 2L, 1L, 1L), (publication.Issued, publication.Revoked, publication.Unchanged, publication.RevocationEpoch));
        Assert.Equal(1, await world.Revocations.GetEpochAsync());
        var changes = (await world.Revocations.GetChangesAfterAsync(new RevocationFeedPosition(0, null), 100)).Changes;
        Assert.Equal(new[] { Bravo.TokenId, Charlie.TokenId }.Order(StringComparer.Ordinal), changes.Select(c => c.TokenId));
        var bravo = Assert.Single(changes, c => c.TokenId == Bravo.TokenId);
        Assert.Equal((bravo2.TokenId, "automatic"), (bravo.ReplacedBy, bravo.Kind));
        Assert.Null(Assert.Single(changes, c => c.TokenId == Charlie.TokenId).ReplacedBy);
        Assert.Null(await world.Revocations.GetRevocationAsync(Alpha.TokenId));
        Assert.Empty((await world.Revocations.GetChangesAfterAsync(new RevocationFeedPosition(1, null), 100)).Changes);

        // Alpha's facts did not change: its token is kept (the new compile's token is not issued).
        Assert.Equal(Alpha.TokenId, Assert.Single(await world.Registry.GetLatestAsync("rto:1")).TokenId);
        Assert.Null(await world.Registry.GetAsync(alpha2.TokenId));
        Assert.Equal(bravo2.TokenId, Assert.Single(await world.Registry.GetLatestAsync("rto:2")).TokenId);
        Assert.Equal([Alpha.TokenId, bravo2.TokenId], (await world.Registry.ListAsync("rto-registration", null, 10)).Items.Select(t => t.TokenId));
        Assert.Empty((await world.Registry.ListAsync("training-component", null, 10)).Items);

        // Status bits: revoked slots set, kept and new slots clear; the lists and the log agree.
        var rtoList = await StatusBitsAsync(world, "rto-registration/0");
        var alphaToken = (await world.Registry.GetAsync(Alpha.TokenId))!;
        var bravoOld = (await world.Registry.GetAsync(Bravo.TokenId))!;
        var bravoNew = (await world.Registry.GetAsync(bravo2.TokenId))!;
        Assert.Equal(StatusList.Valid, rtoList[(int)alphaToken.StatusIndex]);
        Assert.Equal(StatusList.Invalid, rtoList[(int)bravoOld.StatusIndex]);
        Assert.Equal(StatusList.Valid, rtoList[(int)bravoNew.StatusIndex]);
        Assert.Equal(2, bravoNew.StatusIndex); // slots are never reused
        Assert.Equal(1, bravoNew.RevocationEpoch);
        var tcList = await StatusBitsAsync(world, "training-component/0");
        Assert.Equal(StatusList.Invalid, tcList[(int)(await world.Registry.GetAsync(Charlie.TokenId))!.StatusIndex]);

        var entries = (await world.EntriesAsync()).Skip((int)sizeBefore).ToList();
        var revocations = PublishingWorld.OfType(entries, "revocation").ToList();
        Assert.Equal(2, revocations.Count);
        Assert.All(revocations, r => Assert.Equal(1, r.GetProperty("revEpoch").GetInt64()));
        Assert.Equal(bravo2.TokenId, Assert.Single(PublishingWorld.OfType(entries, "token")).GetProperty("tokenId").GetString());
        Assert.Equal(bravo.LogIndex, sizeBefore + entries.FindIndex(e => e.GetProperty("type").GetString() == "revocation" && e.GetProperty("statusListUri").GetString()!.Contains("rto-registration", StringComparison.Ordinal)));

        // Each entry's `changed` list holds exactly this publication's changes: bravo's old slot in one, charlie's in the other.
        var rtoChanged = revocations.Single(r => r.GetProperty("statusListUri").GetString()!.Contains("rto-registration", StringComparison.Ordinal)).GetProperty("changed");
        Assert.Equal(1, rtoChanged.GetProperty("count").GetInt32());
        var changedBits = StatusList.Decode(rtoChanged.GetProperty("lst").GetString()!, rtoChanged.GetProperty("bits").GetInt32());
        Assert.Equal([(int)bravoOld.StatusIndex], Enumerable.Range(0, changedBits.Capacity).Where(i => changedBits[i] == StatusList.Invalid));
        Assert.All(Enumerable.Range(0, changedBits.Capacity), i => Assert.True(changedBits[i] is StatusList.Valid or StatusList.Invalid));
    }

    [Fact]
    public async Task PublishAsync_SameFactsInSecondHalfOfValidity_RenewsWithoutRevoking()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var first = TestTokens.Build(Alpha);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(first), first);
        world.Clock.Advance(TimeSpan.FromDays(200));
        var renewed = TestTokens.Token("rto-registration", "rto:1", """{"name":"Alpha","status":"current"}""", TestTokens.FetchedAt.AddDays(200));
        var second = TestTokens.Build([new BuildInput("test", "sha256:" + new string('2', 64), 1)], [renewed]);

        var publication = await world.Publisher().PublishAsync(BuildCompilation.ToStored(second), second);

        Assert.Equal((1L, 0L, 0L), (publication.Issued, publication.Revoked, publication.RevocationEpoch));
        Assert.Equal(renewed.TokenId, Assert.Single(await world.Registry.GetLatestAsync("rto:1")).TokenId);
        Assert.Null(await world.Revocations.GetRevocationAsync(Alpha.TokenId));
    }

    [Fact]
    public async Task PublishAsync_OnlyProvenanceChanged_ReplacesWithoutRevoking()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var screen = TestTokens.Token("sanctions-screen", "rto:1", """{"list":{"entries":1500},"result":"no-match"}""") with { AssertionDigest = "same-assertion" };
        var first = TestTokens.Build([screen]);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(first), first);
        var newerList = TestTokens.Token("sanctions-screen", "rto:1", """{"list":{"entries":1501},"result":"no-match"}""") with { AssertionDigest = "same-assertion" };
        var second = TestTokens.Build([new BuildInput("test", "sha256:" + new string('3', 64), 1)], [newerList]);

        var publication = await world.Publisher().PublishAsync(BuildCompilation.ToStored(second), second);

        Assert.Equal((1L, 0L, 0L), (publication.Issued, publication.Revoked, publication.RevocationEpoch));
        Assert.Equal(newerList.TokenId, Assert.Single(await world.Registry.GetLatestAsync("rto:1")).TokenId);
        Assert.Null(await world.Revocations.GetRevocationAsync(screen.TokenId));

        // A changed assertion (a match) revokes as any changed fact does.
        var matched = TestTokens.Token("sanctions-screen", "rto:1", """{"list":{"entries":1502},"result":"match"}""") with { AssertionDigest = "other-assertion" };
        var third = TestTokens.Build([new BuildInput("test", "sha256:" + new string('4', 64), 1)], [matched]);
        var revoking = await world.Publisher().PublishAsync(BuildCompilation.ToStored(third), third);
        Assert.Equal((1L, 1L, 1L), (revoking.Issued, revoking.Revoked, revoking.RevocationEpoch));
        Assert.Equal("facts changed", (await world.Revocations.GetRevocationAsync(newerList.TokenId))!.Reason);
    }

    [Fact]
    public async Task StatusLists_Published_DecodeAndVerifyWithJwks()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var build = TestTokens.Build(Alpha, Bravo, Charlie);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build);
        await world.Publisher().RevokeAsync(Bravo.TokenId, "registration suspended by the regulator", "operator-1");

        var lists = await world.Revocations.ListStatusListsAsync();

        Assert.Equal(["rto-registration/0", "training-component/0"], lists.Select(l => l.ListId));
        var keys = await world.Keys.GetAsync();
        foreach (var list in lists)
        {
            var parts = list.Jwt.Split('.');
            using var header = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[0]));
            Assert.Equal("statuslist+jwt", header.RootElement.GetProperty("typ").GetString());
            Assert.True(keys.TryGetKey(header.RootElement.GetProperty("kid").GetString()!, out var key));
            using (var ecdsa = key.Key.CreateEcdsa())
            {
                Assert.True(ecdsa.VerifyData(System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]), Base64Url.DecodeFromChars(parts[2]), HashAlgorithmName.SHA256));
            }

            using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(parts[1]));
            Assert.Equal(list.Uri, payload.RootElement.GetProperty("sub").GetString());
            Assert.Equal(list.Epoch, payload.RootElement.GetProperty("rev_epoch").GetInt64());
            Assert.True(payload.RootElement.GetProperty("exp").GetInt64() > payload.RootElement.GetProperty("iat").GetInt64());
            Assert.True(payload.RootElement.GetProperty("ttl").GetInt64() > 0);
        }

        var rto = await StatusBitsAsync(world, "rto-registration/0");
        Assert.Equal(StatusList.Invalid, rto[(int)(await world.Registry.GetAsync(Bravo.TokenId))!.StatusIndex]);
        Assert.Equal(StatusList.Valid, rto[(int)(await world.Registry.GetAsync(Alpha.TokenId))!.StatusIndex]);
        Assert.Equal(1, lists[0].Epoch);
        Assert.Equal(0, lists[1].Epoch);
    }

    [Fact]
    public async Task RevokeAsync_Manual_SetsBitMovesEpochLogsAndIsIdempotent()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var build = TestTokens.Build(Alpha, Bravo);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build);
        var sizeBefore = await world.LogSizeAsync();

        var record = await world.Publisher().RevokeAsync(Alpha.TokenId, "issued in error", "operator-7");

        Assert.Equal((1L, "manual", "issued in error", "rto:1"), (record.Epoch, record.Kind, record.Reason, record.Subject));
        Assert.Equal(1, await world.Revocations.GetEpochAsync());
        Assert.Equal(StatusList.Invalid, (await StatusBitsAsync(world, "rto-registration/0"))[(int)record.StatusIndex]);
        var entries = (await world.EntriesAsync()).Skip((int)sizeBefore).ToList();
        Assert.Equal(record.LogIndex, sizeBefore + entries.FindIndex(e => e.GetProperty("type").GetString() == "revocation"));
        var action = Assert.Single(PublishingWorld.OfType(entries, "operator-action"));
        Assert.Equal(("operator-7", "revoke-token", Alpha.TokenId), (action.GetProperty("actor").GetString(), action.GetProperty("action").GetString(), action.GetProperty("target").GetString()));
        Assert.Equal([Bravo.TokenId], (await world.Registry.ListAsync("rto-registration", null, 10)).Items.Select(t => t.TokenId));

        var size = await world.LogSizeAsync();
        Assert.Equal(record, await world.Publisher().RevokeAsync(Alpha.TokenId, "again", "operator-8"));
        Assert.Equal(size, await world.LogSizeAsync());
        await Assert.ThrowsAsync<KeyNotFoundException>(() => world.Publisher().RevokeAsync(new string('f', 64), "unknown", "operator-7"));
    }

    [Fact]
    public async Task RevokeAsync_WhileABuildThatRevokesTheTokenIsStillInProgress_WaitsInsteadOfAnsweringItsRecord()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var build = TestTokens.Build(Alpha, Bravo);
        await world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build);

        // A build withdraws Bravo; hold it after its revocation records are stored, before its family rows and completion.
        var held = new HeldRecordStore(world.Records, RecordTables.Families);
        var publisher = new Publisher(held, world.Builds, world.Log, world.LogLock, world.Issuer, world.Freeze(), world.Options, world.Clock);
        var withdrawing = TestTokens.Build([new BuildInput("test", "sha256:" + new string('1', 64), 1)], [Alpha]);
        var publishing = publisher.PublishAsync(BuildCompilation.ToStored(withdrawing), withdrawing);
        await Task.WhenAny(held.Reached, publishing);
        Assert.True(held.Reached.IsCompleted, "the build ended before writing its family rows");
        Assert.NotNull(await world.Revocations.GetRevocationAsync(Bravo.TokenId));

        var busy = await Assert.ThrowsAsync<PublicationWaitException>(() => world.Publisher().RevokeAsync(Bravo.TokenId, "suspended", "operator-1"));

        held.Release();
        await publishing;
        var record = await world.Publisher().RevokeAsync(Bravo.TokenId, "suspended", "operator-1");
        Assert.Equal(PublicationWaitReason.Busy, busy.Reason);
        Assert.Equal((1L, Bravo.TokenId), (record.Epoch, record.TokenId));
        Assert.NotEqual("manual", record.Kind);
    }

    [Fact]
    public async Task PublishAsync_Frozen_IsRefusedUntilCleared()
    {
        using var world = await PublishingWorld.CreateAsync(azurite);
        var build = TestTokens.Build(Alpha);
        await world.Freeze().FreezeAsync("sha256:" + new string('9', 64), "test freeze");

        var refused = await Assert.ThrowsAsync<PublicationFrozenException>(() => world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build));

        Assert.Contains("test freeze", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, await world.LogSizeAsync());
        await world.Freeze().ClearAsync("investigated", "operator-1");
        Assert.Equal(1, (await world.Publisher().PublishAsync(BuildCompilation.ToStored(build), build)).Issued);
    }

    private static async Task<StatusList> StatusBitsAsync(PublishingWorld world, string listId)
    {
        var list = await world.Revocations.GetStatusListAsync(listId);
        Assert.NotNull(list);
        using var payload = JsonDocument.Parse(Base64Url.DecodeFromChars(list.Jwt.Split('.')[1]));
        var statusList = payload.RootElement.GetProperty("status_list");
        return StatusList.Decode(statusList.GetProperty("lst").GetString()!, statusList.GetProperty("bits").GetInt32());
    }
}
