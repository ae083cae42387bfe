using Rtgf.Core.Signing;
using Rtgf.Testing;

namespace Rtgf.Core.Tests.Signing;

public sealed class IssuerKeyRingTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Rotate_ThroughOverlapWindow_MovesStatesWithTheClock()
    {
        var clock = new ManualTimeProvider(Start);
        var ring = new IssuerKeyRing(clock);
        using var first = LocalDevelopmentSigner.Create();
        using var second = LocalDevelopmentSigner.Create();
        ring.Add(first.PublicKey, Start);

        ring.Rotate(second.PublicKey, Start.AddDays(90), TimeSpan.FromDays(7));

        Assert.Equal(IssuerKeyState.Current, ring.StateOf(first.PublicKey.Thumbprint));
        Assert.Equal(IssuerKeyState.Pending, ring.StateOf(second.PublicKey.Thumbprint));
        clock.Advance(TimeSpan.FromDays(90));
        Assert.Equal(IssuerKeyState.Previous, ring.StateOf(first.PublicKey.Thumbprint));
        Assert.Equal(IssuerKeyState.Current, ring.StateOf(second.PublicKey.Thumbprint));
        Assert.Equal(second.PublicKey, ring.Current.PublicKey);
        clock.Advance(TimeSpan.FromDays(7));
        Assert.Equal(IssuerKeyState.Retired, ring.StateOf(first.PublicKey.Thumbprint));
    }

    [Fact]
    public void ToPublishedKeySet_DuringOverlap_PublishesCurrentAndPrevious()
    {
        var clock = new ManualTimeProvider(Start);
        var ring = new IssuerKeyRing(clock);
        using var first = LocalDevelopmentSigner.Create();
        using var second = LocalDevelopmentSigner.Create();
        ring.Add(first.PublicKey, Start);
        ring.Rotate(second.PublicKey, Start.AddDays(1), TimeSpan.FromDays(7));
        clock.Advance(TimeSpan.FromDays(2));

        var set = ring.ToPublishedKeySet();

        Assert.Equal([second.PublicKey.Thumbprint, first.PublicKey.Thumbprint], set.Keys.Select(k => k.Kid));
        Assert.Equal(["current", "previous"], set.Keys.Select(k => k.Status));
    }

    [Fact]
    public void ToPublishedKeySet_RetiredKey_KeptOnlyIfItSignedLoggedArtefacts()
    {
        var clock = new ManualTimeProvider(Start);
        var ring = new IssuerKeyRing(clock);
        using var unused = LocalDevelopmentSigner.Create();
        using var logged = LocalDevelopmentSigner.Create();
        using var current = LocalDevelopmentSigner.Create();
        ring.Add(unused.PublicKey, Start);
        ring.Rotate(logged.PublicKey, Start.AddDays(1), TimeSpan.FromDays(1));
        ring.MarkLogged(logged.PublicKey.Thumbprint);
        ring.Rotate(current.PublicKey, Start.AddDays(10), TimeSpan.FromDays(1));
        clock.Advance(TimeSpan.FromDays(30));

        var set = ring.ToPublishedKeySet();

        Assert.Equal([current.PublicKey.Thumbprint, logged.PublicKey.Thumbprint], set.Keys.Select(k => k.Kid));
        var retired = set.Keys[1];
        Assert.True(retired.IsRetired);
        Assert.Equal(Start.AddDays(11), retired.RetiredAt);
        Assert.Contains("\"rtgf_status\":\"retired\"", System.Text.Encoding.UTF8.GetString(set.ToCanonicalJson()), StringComparison.Ordinal);
    }

    [Fact]
    public void ToPublishedKeySet_WithCertifiedKeys_AppendsThem()
    {
        var ring = new IssuerKeyRing(new ManualTimeProvider(Start));
        using var issuer = LocalDevelopmentSigner.Create();
        using var delegated = LocalDevelopmentSigner.Create();
        ring.Add(issuer.PublicKey, Start);

        var set = ring.ToPublishedKeySet([new JsonWebKey(delegated.PublicKey, certificate: "x.y.z")]);

        Assert.Equal(2, set.Keys.Count);
        Assert.Equal("x.y.z", set.Keys[1].Certificate);
    }

    [Fact]
    public void Current_NoActiveKey_Throws()
    {
        var ring = new IssuerKeyRing(new ManualTimeProvider(Start));
        using var future = LocalDevelopmentSigner.Create();
        ring.Add(future.PublicKey, Start.AddDays(1));

        Assert.Throws<InvalidOperationException>(() => ring.Current);
        Assert.Throws<KeyNotFoundException>(() => ring.MarkLogged("nope"));
    }

    [Fact]
    public void Add_SameKeyTwice_Throws()
    {
        var ring = new IssuerKeyRing(new ManualTimeProvider(Start));
        using var key = LocalDevelopmentSigner.Create();
        ring.Add(key.PublicKey, Start);

        Assert.Throws<ArgumentException>(() => ring.Add(key.PublicKey, Start));
    }
}
