using Rtgf.Functions.Endpoints;
using Rtgf.Functions.Waitlist;
using Rtgf.Pipeline.Access;
using Rtgf.Pipeline.Waitlist;

namespace Rtgf.Functions.Tests.Waitlist;

/// <summary>The waitlist's parts on their own: address rules, link tokens, RTO codes, and the limits across instances (Azurite).</summary>
public sealed class WaitlistPartsTests(WaitlistFixture app) : IClassFixture<WaitlistFixture>
{
    private static readonly DateTimeOffset At = new(2026, 12, 5, 9, 0, 0, TimeSpan.Zero);

    [Theory]
    [InlineData(" Ada@Example.ORG ", "ada@example.org")]
    [InlineData("ADA.LOVELACE+Waitlist@Mail.Example.org", "ada.lovelace+waitlist@mail.example.org")]
    [InlineData("o'brien@example.org", "o'brien@example.org")]
    [InlineData("user@bücher.example", "user@xn--bcher-kva.example")]
    public void Address_IsTrimmedAndLowerCased_WithTheDomainInAscii(string input, string expected) =>
        Assert.Equal(expected, WaitlistAddress.Normalise(input, out _));

    [Theory]
    [InlineData("")]
    [InlineData("plain")]
    [InlineData("a@b")]
    [InlineData("a@@b.org")]
    [InlineData("a@b@c.org")]
    [InlineData("a..b@example.org")]
    [InlineData("a.@example.org")]
    [InlineData("\"quoted\"@example.org")]
    [InlineData("a@exa_mple.org")]
    [InlineData("a@-example.org")]
    [InlineData("a@example.org\r\nBcc: b@example.org")]
    [InlineData("a@example.org\u0000")]
    [InlineData("a (comment)@example.org")]
    public void Address_RefusesWhatIsNotOne(string input)
    {
        Assert.Null(WaitlistAddress.Normalise(input, out var problem));
        Assert.NotEmpty(problem);
    }

    [Fact]
    public void Address_RefusesALocalPartOver64AndAnAddressOver254()
    {
        Assert.Null(WaitlistAddress.Normalise(new string('a', 65) + "@example.org", out _));
        Assert.NotNull(WaitlistAddress.Normalise(new string('a', 64) + "@example.org", out _));
        Assert.Null(WaitlistAddress.Normalise("a@" + string.Join('.', Enumerable.Repeat(new string('b', 60), 5)) + ".org", out _));
    }

    [Theory]
    [InlineData("0022", true)]
    [InlineData("40001", true)]
    [InlineData("022", false)]
    [InlineData("400012", false)]
    [InlineData("00A2", false)]
    [InlineData("٠٠٢٢", false)] // Arabic-Indic digits: char.IsDigit, not ASCII
    [InlineData("0022\n", false)]
    public void RtoCode_IsFourOrFiveAsciiDigits(string code, bool accepted) => Assert.Equal(accepted, WaitlistEndpoints.IsRtoCode(code));

    [Fact]
    public void LinkKeySetting_MustBeBase64OfAtLeast32Bytes_AndTheProblemNeverHoldsTheValue()
    {
        Assert.Null(MagicLinks.FromSetting(null, out var missing));
        Assert.Contains(MagicLinks.Setting, missing, StringComparison.Ordinal);
        var shortKey = Convert.ToBase64String(new byte[31]);
        Assert.Null(MagicLinks.FromSetting(shortKey, out var tooShort));
        Assert.DoesNotContain(shortKey, tooShort, StringComparison.Ordinal);
        Assert.Null(MagicLinks.FromSetting("not base64!", out _));
        Assert.NotNull(MagicLinks.FromSetting(WaitlistFixture.LinkKey, out _));
    }

    [Fact]
    public void Tokens_VerifyForTheirLeadAndKeyOnly_AndLinkIdsDifferPerNumber()
    {
        var links = MagicLinks.FromSetting(WaitlistFixture.LinkKey, out _)!;
        var other = MagicLinks.FromSetting(Convert.ToBase64String(new byte[32]), out _)!;
        var ada = Lead("ada@example.org");
        var bob = Lead("bob@example.org");
        var linkId = links.LinkId(ada.Id, 1);
        Assert.NotEqual(linkId, links.LinkId(ada.Id, 2));
        Assert.NotEqual(linkId, links.LinkId(bob.Id, 1));

        var confirm = MagicLinks.Parse(links.ConfirmToken(ada, linkId, At.AddMinutes(15)), LinkPurpose.Confirm)!;
        Assert.Equal(At.AddMinutes(15), confirm.ExpiresAt);
        Assert.True(links.Verify(confirm, ada));
        Assert.False(links.Verify(confirm, bob));
        Assert.False(links.Verify(confirm, ada with { Email = "ada@example.com" })); // same lead id, another address: refused
        Assert.False(other.Verify(confirm, ada));

        var unsubscribe = MagicLinks.Parse(links.UnsubscribeToken(ada), LinkPurpose.Unsubscribe)!;
        Assert.True(links.Verify(unsubscribe, ada));
        Assert.Null(MagicLinks.Parse(links.UnsubscribeToken(ada), LinkPurpose.Confirm)); // a token of one purpose is not the other's
        Assert.Null(MagicLinks.Parse(links.ConfirmToken(ada, linkId, At), LinkPurpose.Unsubscribe));
    }

    [Fact]
    public async Task Limits_AreSharedAcrossInstances_AndExactUnderConcurrency()
    {
        // Two instances' limiters over the one usage table, taking at once: exactly the limit is allowed in all.
        var store = app.Services.GetRequiredService<IUsageCounterStore>();
        var settings = app.Services.GetRequiredService<WaitlistSettings>();
        var a = new WaitlistLimits(store, app.Clock, settings);
        var b = new WaitlistLimits(store, app.Clock, settings);

        var takes = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            (i % 2 == 0 ? a : b).TryTakeAsync("198.51.100.99", WaitlistAddress.LeadId($"u{i}@shared.example.org"), default).AsTask()));

        Assert.Equal(WaitlistFixture.PerIp, takes.Count(t => t is null));
        Assert.All(takes.Where(t => t is not null), t => Assert.InRange(t!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)));
    }

    private static Lead Lead(string address) =>
        new(WaitlistAddress.LeadId(address), address, null, null, At, At, null, null, 0, null, null);
}
