using System.Globalization;
using Microsoft.Extensions.Logging.Abstractions;
using Rtgf.Functions.Tests.Support;
using Rtgf.Register;

namespace Rtgf.Functions.Tests.Endpoints;

/// <summary>
/// Rebuilding generations for cursors: only builds the instance saw published, one load at a time, never displacing the
/// current generation or the one a swap replaced, and a rebuilt generation links only tokens its publication had logged.
/// Its own world: it publishes three changes (builds A, B, C, D).
/// </summary>
public sealed class PublicApiRebuildTests(PublishedWorldFixture world) : IClassFixture<PublishedWorldFixture>
{
    [Fact]
    public async Task OldBuildsSeenByThisInstance_AreRebuiltOneAtATime_AlternatingNeverFails_AndLinkOnlyTheirOwnTokens()
    {
        var loader = world.Services.GetRequiredService<RegisterLoader>();
        using var instance = new RegisterGenerations(
            loader, new RegisterOptions { RetainedGenerations = 1 }, world.Clock, NullLogger<RegisterGenerations>.Instance);

        // Build A as served while it was the latest publication: kept (held) to compare with its rebuild.
        await instance.RefreshAsync();
        var a = world.Publications[^1];
        using var original = (await instance.AcquireCurrentAsync()).Lease;
        Assert.NotNull(original);
        Assert.Equal(a.BuildId, original.View.BuildId);

        var b = await world.PublishChangeAsync("qualification-superseded");
        await instance.RefreshAsync();
        var c = await world.PublishChangeAsync("scope-removed");
        await instance.RefreshAsync();
        var d = await world.PublishChangeAsync("rto-cancelled");
        await instance.RefreshAsync();
        Assert.Equal(d.BuildId, instance.CurrentBuildId);

        // A and B are out of memory; alternating their cursors rebuilds each in turn (one slot), and every request is served.
        for (var round = 0; round < 3; round++)
        {
            foreach (var publication in new[] { a, b })
            {
                var acquired = await instance.AcquirePinnedAsync(Hex(publication.BuildId));
                Assert.Equal(RegisterOutcome.Acquired, acquired.Outcome);
                using var lease = acquired.Lease!;
                Assert.Equal(publication.BuildId, lease.View.BuildId);
            }
        }

        // Rebuilds never displaced the current generation or the one its swap replaced.
        Assert.Equal(d.BuildId, instance.CurrentBuildId);
        var previous = await instance.AcquirePinnedAsync(Hex(c.BuildId));
        Assert.Equal(RegisterOutcome.Acquired, previous.Outcome);
        previous.Lease!.Dispose();

        // Two old builds at once: one loads, the other waits for it or is told to retry; neither is an error.
        var both = await Task.WhenAll(new[] { a, b, a, b }.Select(p => Task.Run(async () => await instance.AcquirePinnedAsync(Hex(p.BuildId)))));
        Assert.All(both, r => Assert.Contains(r.Outcome, new[] { RegisterOutcome.Acquired, RegisterOutcome.Unavailable }));
        Assert.Contains(both, r => r.Outcome == RegisterOutcome.Acquired);
        foreach (var r in both)
        {
            r.Lease?.Dispose();
        }

        // A rebuilt after B, C and D were published links none of their tokens: every proof is inside A's log.
        var rebuilt = await instance.AcquirePinnedAsync(Hex(a.BuildId));
        using var rebuiltLease = rebuilt.Lease!;
        var view = rebuiltLease.View;
        var proofs = view.Rtos.Select(r => r.Proof).Concat(view.Components.Select(x => x.Proof)).OfType<string>().ToList();
        Assert.NotEmpty(proofs);
        Assert.All(proofs, p => Assert.True(IndexOf(p) < a.TreeSize, $"{p} is not in build A's log (size {a.TreeSize})."));

        // Records whose facts changed since A link no token in A's rebuilt view (rather than a token asserting other facts);
        // the rest link what A linked when it was served.
        var before = original.View.Components.ToDictionary(x => x.Code, StringComparer.Ordinal);
        var dropped = 0;
        foreach (var component in view.Components)
        {
            var then = before[component.Code].Token;
            if (component.Token is null && then is not null)
            {
                dropped++;
            }
            else
            {
                Assert.Equal(then?.Id, component.Token?.Id);
            }
        }

        Assert.True(dropped > 0, "the superseded qualification's facts changed in B, so A's rebuilt view cannot link its current token.");
    }

    private static string Hex(string buildId) => buildId["sha256:".Length..];

    private static long IndexOf(string proof) => long.Parse(proof[(proof.LastIndexOf('=') + 1)..], CultureInfo.InvariantCulture);
}
