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
    public void Tokens_VerifyForTheirLeadAndKeyOnly()
    {
        var links = MagicLinks.FromSetting(WaitlistFixture.LinkKey, out _)!;
        var other = MagicLinks.FromSetting(Convert.ToBase64String(new byte[32]), out _)!;
        var ada = Lead("ada@example.org");
        var bob = Lead("bob@example.org");
        var linkId = Ids.LinkId(ada.Id, At, 1);

        var confirm = MagicLinks.Parse(links.ConfirmToken(ada, linkId, At.AddMinutes(15)), LinkPurpose.Confirm)!;
        Assert.Equal(At.AddMinutes(15), confirm.ExpiresAt);
        Assert.Equal(links.CurrentKeyId, confirm.KeyId);
        Assert.True(links.Verify(confirm, ada));
        Assert.False(links.Verify(confirm, bob));
        Assert.False(links.Verify(confirm, ada with { Email = "ada@example.com" })); // same lead id, another address: refused
        Assert.False(other.Verify(confirm, ada));
        Assert.False(other.Verify(confirm with { KeyId = other.CurrentKeyId }, ada)); // naming another key does not help

        var unsubscribe = MagicLinks.Parse(links.UnsubscribeToken(ada), LinkPurpose.Unsubscribe)!;
        Assert.True(links.Verify(unsubscribe, ada));
        Assert.Null(MagicLinks.Parse(links.UnsubscribeToken(ada), LinkPurpose.Confirm)); // a token of one purpose is not the other's
        Assert.Null(MagicLinks.Parse(links.ConfirmToken(ada, linkId, At), LinkPurpose.Unsubscribe));
    }

    [Fact]
    public void RotatingTheLinkKey_KeepsEmailedLinksWorking_WhileTheOldKeyIsListedAsPrevious()
    {
        var newKey = Convert.ToBase64String(Enumerable.Range(1, 32).Select(i => (byte)i).ToArray());
        var before = MagicLinks.FromSetting(WaitlistFixture.LinkKey, out _)!;
        var rotated = MagicLinks.FromSettings(newKey, WaitlistFixture.LinkKey, out var problem)!;
        var dropped = MagicLinks.FromSetting(newKey, out _)!;
        Assert.Empty(problem);
        var ada = Lead("ada@example.org");

        var emailed = MagicLinks.Parse(before.UnsubscribeToken(ada), LinkPurpose.Unsubscribe)!;
        Assert.True(rotated.Verify(emailed, ada));
        Assert.False(dropped.Verify(emailed, ada));
        Assert.NotEqual(before.CurrentKeyId, rotated.CurrentKeyId);
        Assert.True(rotated.Verify(MagicLinks.Parse(rotated.UnsubscribeToken(ada), LinkPurpose.Unsubscribe)!, ada));
        Assert.False(before.Verify(MagicLinks.Parse(rotated.UnsubscribeToken(ada), LinkPurpose.Unsubscribe)!, ada));

        Assert.Null(MagicLinks.FromSettings(newKey, WaitlistFixture.LinkKey + ",not base64!", out var bad));
        Assert.Contains(MagicLinks.PreviousSetting, bad, StringComparison.Ordinal);
        Assert.DoesNotContain(WaitlistFixture.LinkKey, bad, StringComparison.Ordinal);
    }

    [Fact]
    public void Ids_AreKeyed_AndLinkIdsDifferPerLeadNumberAndGeneration()
    {
        var other = WaitlistIds.FromSetting(Convert.ToBase64String(new byte[32]), out _)!;
        var plain = Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData("ada@example.org"u8).AsSpan(0, 16));
        Assert.Matches("^[0-9a-f]{32}$", Ids.LeadId("ada@example.org"));
        Assert.NotEqual(plain, Ids.LeadId("ada@example.org")); // not a plain hash: guessing addresses offline finds nothing
        Assert.NotEqual(Ids.LeadId("ada@example.org"), other.LeadId("ada@example.org"));
        Assert.NotEqual(Ids.CounterKey("ip", "192.0.2.1"), other.CounterKey("ip", "192.0.2.1"));
        Assert.NotEqual(Ids.CounterKey("ip", "192.0.2.1"), Ids.CounterKey("mailbox", "192.0.2.1"));

        var lead = Ids.LeadId("ada@example.org");
        var linkId = Ids.LinkId(lead, At, 1);
        Assert.NotEqual(linkId, Ids.LinkId(lead, At, 2));
        Assert.NotEqual(linkId, Ids.LinkId(Ids.LeadId("bob@example.org"), At, 1));
        Assert.NotEqual(linkId, Ids.LinkId(lead, At.AddTicks(1), 1)); // a lead created again: new links, new idempotency keys

        Assert.Null(WaitlistIds.FromSetting(null, out var missing));
        Assert.Contains(WaitlistIds.Setting, missing, StringComparison.Ordinal);
        Assert.Null(WaitlistIds.FromSetting(Convert.ToBase64String(new byte[31]), out _));
    }

    [Theory]
    [InlineData("ada@example.org", "ada@example.org")]
    [InlineData("ada+waitlist@example.org", "ada@example.org")]
    [InlineData("a.da+x+y@example.org", "a.da@example.org")]
    [InlineData("a.d.a+x@gmail.com", "ada@gmail.com")]
    [InlineData("a.d.a@googlemail.com", "ada@gmail.com")]
    [InlineData("+tag@example.org", "+tag@example.org")] // a local part that is only a tag stays whole
    public void Mailbox_DropsTagsAndFoldsGmailDots(string address, string mailbox) => Assert.Equal(mailbox, WaitlistAddress.Mailbox(address));

    [Fact]
    public async Task Limits_AreSharedAcrossInstances_AndExactUnderConcurrency()
    {
        // Two instances' limiters over the one usage table, taking at once: exactly the limit is allowed in all.
        var store = app.Services.GetRequiredService<IUsageCounterStore>();
        var settings = app.Services.GetRequiredService<WaitlistSettings>();
        var a = new WaitlistLimits(store, app.Clock, settings);
        var b = new WaitlistLimits(store, app.Clock, settings);

        var takes = await Task.WhenAll(Enumerable.Range(0, 60).Select(i =>
            (i % 2 == 0 ? a : b).TryTakeAsync("198.51.100.99", $"u{i}@shared.example.org", default).AsTask()));

        Assert.Equal(WaitlistFixture.PerIp, takes.Count(t => t is null));
        Assert.All(takes.Where(t => t is not null), t => Assert.InRange(t!.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1)));
    }

    private static WaitlistIds Ids { get; } = WaitlistIds.FromSetting(WaitlistFixture.IdKey, out _)!;

    private static Lead Lead(string address) =>
        new(Ids.LeadId(address), address, null, null, At, At, null, null, 0, null, null);
}
