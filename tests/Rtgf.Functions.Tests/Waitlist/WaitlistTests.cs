using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Rtgf.Azure.Waitlist;
using Rtgf.Functions.Endpoints;
using Rtgf.Functions.Waitlist;
using Rtgf.Pipeline.Comms;
using Rtgf.Pipeline.Waitlist;
using Rtgf.Tooling;

namespace Rtgf.Functions.Tests.Waitlist;

/// <summary>
/// The waitlist end to end on the real app over Azurite (docs/spec/waitlist.md): sign-ups, the confirm email on the comms
/// queue, the links (expiry, single use, address binding, signature), unsubscribe, the shared limits, bad input, races.
/// </summary>
public sealed partial class WaitlistTests(WaitlistFixture app) : IClassFixture<WaitlistFixture>
{
    [Fact]
    public async Task SignUp_WithoutAKey_StoresTheLeadOnceAndEnqueuesTheConfirmEmail()
    {
        using var response = await app.SignUpAsync(new { email = "  Ada.Lovelace+rtgf@Signup.Example.ORG ", organisation = "Analytical Engines Pty Ltd", rtoCode = "0022" }, "203.0.113.1");

        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        var leads = await app.LeadsAtAsync("signup.example.org");
        var lead = Assert.Single(leads);
        Assert.Equal("ada.lovelace+rtgf@signup.example.org", lead.GetProperty("email").GetString());
        Assert.Equal("pending", lead.GetProperty("status").GetString());
        Assert.Equal("0022", lead.GetProperty("rtoCode").GetString());
        Assert.Equal("Analytical Engines Pty Ltd", lead.GetProperty("organisation").GetString());
        Assert.False(lead.TryGetProperty("linkId", out _)); // half of a live link never reaches the operator listing

        var sent = Assert.Single(await app.SentToAsync("signup.example.org"));
        Assert.Equal(CommsChannel.Email, sent.Channel);
        Assert.Equal(WaitlistSignups.Template, sent.Template);
        Assert.Equal("ada.lovelace+rtgf@signup.example.org", sent.To);
        Assert.StartsWith($"waitlist-confirm:{lead.GetProperty("id").GetString()}:", sent.IdempotencyKey, StringComparison.Ordinal);
        Assert.StartsWith(WaitlistFixture.LinkBase + "v1/waitlist/confirm?token=c.", sent.Values["confirm-url"], StringComparison.Ordinal);
        Assert.StartsWith(WaitlistFixture.LinkBase + "v1/waitlist/unsubscribe?token=u.", sent.Values["unsubscribe-url"], StringComparison.Ordinal);
        Assert.Equal("15", sent.Values["expires-minutes"]);
    }

    [Fact]
    public void Templates_ExistInTheAgreedFormat_AndUseExactlyTheValuesSent()
    {
        var directory = Path.Combine(RepositoryLayout.FindRoot(), "functions", "Rtgf.Functions", "Comms", "Templates");
        var text = File.ReadAllText(Path.Combine(directory, "waitlist-confirm.txt")).Replace("\r\n", "\n", StringComparison.Ordinal);
        var html = File.ReadAllText(Path.Combine(directory, "waitlist-confirm.html"));

        var lines = text.Split('\n');
        Assert.StartsWith("Subject: ", lines[0], StringComparison.Ordinal);
        Assert.Equal("List-Unsubscribe: <{{unsubscribe-url}}>", lines[1]); // the optional one-click header lines (docs/spec/comms.md)
        Assert.Equal("List-Unsubscribe-Post: List-Unsubscribe=One-Click", lines[2]);
        Assert.Equal(string.Empty, lines[3]);
        Assert.DoesNotContain("{{", lines[0], StringComparison.Ordinal);
        string[] sent = ["confirm-url", "expires-minutes", "unsubscribe-url"];
        foreach (var part in new[] { text, html })
        {
            // Not a promise of silence: a sign-up again sends another link (only unsubscribing stops them).
            Assert.DoesNotContain("send nothing more", part, StringComparison.Ordinal);
            Assert.Contains("sends another link", part.Replace("\n", " ", StringComparison.Ordinal), StringComparison.Ordinal);
            var used = Placeholder().Matches(part).Select(m => m.Groups[1].Value).Distinct().Order(StringComparer.Ordinal);
            Assert.Equal(sent, used);
        }
    }

    [Fact]
    public async Task Confirm_GetShowsAPageAndChangesNothing_PostConfirmsOnce()
    {
        var url = await ConfirmUrlAsync("confirm.example.org", "203.0.113.2");

        // A mail scanner's prefetch: a page with a button, twice, and the lead is still pending.
        for (var i = 0; i < 2; i++)
        {
            using var page = await app.SendAsync(HttpMethod.Get, url);
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
            Assert.Contains("<form method=\"post\"", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            Assert.Equal("no-store", page.Headers.CacheControl?.ToString());
        }

        Assert.Equal("pending", Assert.Single(await app.LeadsAtAsync("confirm.example.org")).GetProperty("status").GetString());

        using var confirmed = await app.SendAsync(HttpMethod.Post, url);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        var lead = Assert.Single(await app.LeadsAtAsync("confirm.example.org"));
        Assert.Equal("confirmed", lead.GetProperty("status").GetString());
        Assert.Equal(app.Clock.GetUtcNow(), lead.GetProperty("confirmedAt").GetDateTimeOffset());

        // Reused: a clear problem, on the page and on the POST.
        using var again = await app.SendAsync(HttpMethod.Post, url);
        await AssertProblemAsync(again, HttpStatusCode.Conflict, "urn:rtgf:problem:link-used");
        using var againPage = await app.SendAsync(HttpMethod.Get, url);
        await AssertProblemAsync(againPage, HttpStatusCode.Conflict, "urn:rtgf:problem:link-used");

        // A confirmed address signs up again: 202 as ever, and no email.
        using var repeat = await app.SignUpAsync(new { email = "user@confirm.example.org" }, "203.0.113.2");
        Assert.Equal(HttpStatusCode.Accepted, repeat.StatusCode);
        Assert.Single(await app.SentToAsync("confirm.example.org"));
    }

    [Fact]
    public async Task Confirm_AfterFifteenMinutes_IsExpired()
    {
        var url = await ConfirmUrlAsync("expired.example.org", "203.0.113.3");

        app.Clock.Advance(MagicLinks.ConfirmFor);
        using var response = await app.SendAsync(HttpMethod.Post, url);

        await AssertProblemAsync(response, HttpStatusCode.Gone, "urn:rtgf:problem:link-expired");
        Assert.Equal("pending", Assert.Single(await app.LeadsAtAsync("expired.example.org")).GetProperty("status").GetString());
    }

    [Fact]
    public async Task Resend_SendsANewLink_AndTheOldOneStopsWorking()
    {
        var first = await ConfirmUrlAsync("resend.example.org", "203.0.113.4");
        using (var again = await app.SignUpAsync(new { email = "user@resend.example.org" }, "203.0.113.4"))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        var sent = await app.SentToAsync("resend.example.org");
        Assert.Equal(2, sent.Count);
        Assert.NotEqual(sent[0].IdempotencyKey, sent[1].IdempotencyKey);
        Assert.Equal(2, Assert.Single(await app.LeadsAtAsync("resend.example.org")).GetProperty("linksSent").GetInt32());

        using var old = await app.SendAsync(HttpMethod.Post, first);
        await AssertProblemAsync(old, HttpStatusCode.Conflict, "urn:rtgf:problem:link-used");
        using var latest = await app.SendAsync(HttpMethod.Post, sent[1].Values["confirm-url"]);
        Assert.Equal(HttpStatusCode.OK, latest.StatusCode);
    }

    [Fact]
    public async Task Resend_IsLimitedPerAddress_WithRetryAfter()
    {
        for (var i = 0; i < WaitlistFixture.PerAddress; i++)
        {
            // From different client addresses: only the email address's limit applies.
            using var accepted = await app.SignUpAsync(new { email = "user@peraddress.example.org" }, $"198.51.100.{i + 1}");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await app.SignUpAsync(new { email = "USER@PerAddress.example.org" }, "198.51.100.200");

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "urn:rtgf:problem:rate-limited");
        var retryAfter = refused.Headers.RetryAfter?.Delta;
        Assert.NotNull(retryAfter);
        Assert.InRange(retryAfter.Value, TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
        Assert.Equal(WaitlistFixture.PerAddress, (await app.SentToAsync("peraddress.example.org")).Count);
    }

    [Fact]
    public async Task TenThousandSignUpsFromOneAddress_StoreAndEmailOnlyThePerIpLimit()
    {
        // Over HTTP, 32 at a time (a few seconds): each for a new email address, so only the per-IP limit can stop them.
        const string ip = "192.0.2.78";
        var answers = new System.Collections.Concurrent.ConcurrentBag<(HttpStatusCode Status, bool RetryAfter)>();
        await Parallel.ForEachAsync(Enumerable.Range(0, 10_000), new ParallelOptions { MaxDegreeOfParallelism = 32 }, async (i, _) =>
        {
            using var response = await app.SignUpAsync(new { email = $"user{i}@flood.example.org" }, ip);
            answers.Add((response.StatusCode, response.Headers.RetryAfter?.Delta is { TotalSeconds: >= 1 }));
        });

        Assert.Equal(WaitlistFixture.PerIp, answers.Count(a => a.Status == HttpStatusCode.Accepted));
        Assert.Equal(10_000 - WaitlistFixture.PerIp, answers.Count(a => a.Status == HttpStatusCode.TooManyRequests && a.RetryAfter));
        Assert.Equal(WaitlistFixture.PerIp, (await app.LeadsAtAsync("flood.example.org")).Count);
        Assert.Equal(WaitlistFixture.PerIp, (await app.SentToAsync("flood.example.org")).Count);
    }

    [Fact]
    public async Task ALinkForAnotherAddress_ATamperedSignature_AndGarbage_AreInvalid()
    {
        var mine = await ConfirmUrlAsync("mine.example.org", "203.0.113.5");
        var theirs = await ConfirmUrlAsync("theirs.example.org", "203.0.113.6");
        var mineParts = Token(mine).Split('.');
        var theirsParts = Token(theirs).Split('.');

        // My link id, expiry and signature on their lead: the signature covers the lead's address, so it fails.
        var crossed = string.Join('.', "c", mineParts[1], theirsParts[2], mineParts[3], mineParts[4], mineParts[5]);
        var mac = mineParts[5];
        var tampered = string.Join('.', mineParts[..5]) + "." + (mac[0] == 'A' ? 'B' : 'A') + mac[1..];
        var extended = string.Join('.', mineParts[0], mineParts[1], mineParts[2], mineParts[3], (long.Parse(mineParts[4], System.Globalization.CultureInfo.InvariantCulture) + 3600).ToString(System.Globalization.CultureInfo.InvariantCulture), mineParts[5]);
        var unknownKey = string.Join('.', mineParts[0], "AAAAAAAA", string.Join('.', mineParts[2..]));
        foreach (var token in new[] { crossed, tampered, extended, unknownKey, "", "c.x.y.z.w", new string('a', 5000), "u." + mineParts[1] + "." + mineParts[2] + "." + mineParts[5] })
        {
            using var response = await app.SendAsync(HttpMethod.Post, "/v1/waitlist/confirm?token=" + Uri.EscapeDataString(token));
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:rtgf:problem:link-invalid");
        }

        using var missing = await app.SendAsync(HttpMethod.Get, "/v1/waitlist/confirm");
        await AssertProblemAsync(missing, HttpStatusCode.BadRequest, "urn:rtgf:problem:link-invalid");
        Assert.All(await app.LeadsAtAsync("theirs.example.org"), l => Assert.Equal("pending", l.GetProperty("status").GetString()));
        Assert.All(await app.LeadsAtAsync("mine.example.org"), l => Assert.Equal("pending", l.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task Unsubscribe_MarksTheLead_KillsItsLink_AndStopsWaitlistEmail()
    {
        var confirm = await ConfirmUrlAsync("unsubscribe.example.org", "203.0.113.7");
        var unsubscribe = Assert.Single(await app.SentToAsync("unsubscribe.example.org")).Values["unsubscribe-url"];

        using (var page = await app.SendAsync(HttpMethod.Get, unsubscribe))
        {
            Assert.Equal(HttpStatusCode.OK, page.StatusCode);
            Assert.Equal("pending", Assert.Single(await app.LeadsAtAsync("unsubscribe.example.org")).GetProperty("status").GetString());
        }

        // RFC 8058 one-click: a form POST to the link itself, body List-Unsubscribe=One-Click; twice is fine.
        for (var i = 0; i < 2; i++)
        {
            using var client = app.CreateClient();
            using var oneClick = await client.PostAsync(new Uri(unsubscribe).PathAndQuery, new FormUrlEncodedContent([new("List-Unsubscribe", "One-Click")]));
            Assert.Equal(HttpStatusCode.OK, oneClick.StatusCode);
        }

        Assert.Equal("unsubscribed", Assert.Single(await app.LeadsAtAsync("unsubscribe.example.org")).GetProperty("status").GetString());
        using var confirmAfter = await app.SendAsync(HttpMethod.Post, confirm);
        await AssertProblemAsync(confirmAfter, HttpStatusCode.Conflict, "urn:rtgf:problem:link-used");

        using var again = await app.SignUpAsync(new { email = "user@unsubscribe.example.org" }, "203.0.113.7");
        Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        Assert.Single(await app.SentToAsync("unsubscribe.example.org"));

        var parts = Token(unsubscribe).Split('.');
        using var forged = await app.SendAsync(HttpMethod.Post, "/v1/waitlist/unsubscribe?token=" + string.Join('.', parts[0], parts[1], parts[2], parts[3][..^2] + "AA"));
        await AssertProblemAsync(forged, HttpStatusCode.BadRequest, "urn:rtgf:problem:link-invalid");
    }

    [Fact]
    public async Task ConcurrentConfirmsOfOneLink_ExactlyOneWins()
    {
        var url = await ConfirmUrlAsync("race.example.org", "203.0.113.8");

        var responses = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.SendAsync(HttpMethod.Post, url)));

        Assert.Equal(1, responses.Count(r => r.StatusCode == HttpStatusCode.OK));
        Assert.Equal(7, responses.Count(r => r.StatusCode == HttpStatusCode.Conflict));
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task ConcurrentSignUpsForOneAddress_StoreOneLead()
    {
        var responses = await Task.WhenAll(Enumerable.Range(0, WaitlistFixture.PerAddress).Select(i =>
            app.SignUpAsync(new { email = "user@samerace.example.org" }, $"203.0.113.{20 + i}")));

        Assert.All(responses, r => Assert.Equal(HttpStatusCode.Accepted, r.StatusCode));
        var lead = Assert.Single(await app.LeadsAtAsync("samerace.example.org"));
        Assert.Equal(WaitlistFixture.PerAddress, lead.GetProperty("linksSent").GetInt32());
        var sent = await app.SentToAsync("samerace.example.org");
        Assert.Equal(WaitlistFixture.PerAddress, sent.Select(s => s.IdempotencyKey).Distinct().Count());
        foreach (var response in responses)
        {
            response.Dispose();
        }
    }

    [Fact]
    public async Task SignUp_OnlyQueuesOneMessage_WhateverTheAddressIs()
    {
        var url = await ConfirmUrlAsync("oracle.example.org", "203.0.113.60");
        using (var confirmed = await app.SendAsync(HttpMethod.Post, url))
        {
            Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
        }

        // A confirmed address and an unknown one: the request does the same work (one message, no lead read or written).
        foreach (var email in new[] { "user@oracle.example.org", "new@oracle.example.org" })
        {
            using var response = await app.SignUpAsync(new { email }, "203.0.113.61");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
            var queued = Assert.Single((await app.SignupQueue.PeekMessagesAsync(32)).Value);
            Assert.Equal(email, JsonSerializer.Deserialize(queued.Body.ToString(), WaitlistJson.Default.WaitlistSignup)!.Email);
            Assert.Null(await app.Leads.GetAsync(Ids.LeadId("new@oracle.example.org"), default));
            await app.DrainSignupsAsync();
        }

        // Applied: the confirmed address got nothing more, the new one its first link.
        var sent = await app.SentToAsync("oracle.example.org");
        Assert.Equal(["user@oracle.example.org", "new@oracle.example.org"], sent.Select(m => m.To));
    }

    [Fact]
    public async Task SignUp_WhenTheQueueIsDown_Answers503WithRetryAfter_AndRecordsNothing()
    {
        app.Outage.FailNext(WaitlistSignups.Queue);
        using (var refused = await app.SignUpAsync(new { email = "user@outage.example.org" }, "203.0.113.62"))
        {
            await AssertProblemAsync(refused, HttpStatusCode.ServiceUnavailable, "urn:rtgf:problem:waitlist-unavailable");
            Assert.InRange(refused.Headers.RetryAfter?.Delta ?? TimeSpan.Zero, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(1));
        }

        Assert.Empty(await app.LeadsAtAsync("outage.example.org"));
        using (var again = await app.SignUpAsync(new { email = "user@outage.example.org" }, "203.0.113.62"))
        {
            Assert.Equal(HttpStatusCode.Accepted, again.StatusCode);
        }

        Assert.Single(await app.SentToAsync("outage.example.org"));
    }

    [Fact]
    public async Task ACrashBetweenTheLeadWriteAndTheEmail_IsRepairedByTheRetry_WithTheSameKey()
    {
        using (var response = await app.SignUpAsync(new { email = "user@crash.example.org" }, "203.0.113.63"))
        {
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var message = Assert.Single((await app.SignupQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value);
        app.Outage.FailNext(CommsOutbox.Queue);
        var failed = await app.DeliverSignupAsync(message);
        Assert.False(failed.Succeeded);
        var written = (await app.Leads.GetAsync(Ids.LeadId("user@crash.example.org"), default))!.Value.Lead;
        Assert.Equal(1, written.LinksSent);
        Assert.Empty(await app.SentToAsync("crash.example.org"));

        // The host's retry, then a duplicate delivery after it succeeded: the same link's email, never a second link.
        for (var i = 0; i < 2; i++)
        {
            var result = await app.DeliverSignupAsync(message);
            Assert.True(result.Succeeded, result.Error);
        }

        await app.SignupQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        var sent = await app.SentToAsync("crash.example.org");
        Assert.NotEmpty(sent);
        Assert.Single(sent.Select(m => m.IdempotencyKey).Distinct());
        Assert.Equal($"waitlist-confirm:{written.Id}:{written.LinkId}", sent[0].IdempotencyKey);
        Assert.Equal(1, Assert.Single(await app.LeadsAtAsync("crash.example.org")).GetProperty("linksSent").GetInt32());
        using var confirmed = await app.SendAsync(HttpMethod.Post, sent[^1].Values["confirm-url"]);
        Assert.Equal(HttpStatusCode.OK, confirmed.StatusCode);
    }

    [Fact]
    public async Task ConcurrentAndDuplicateDeliveries_StoreOneLead_AndOneLinkPerSignUp()
    {
        for (var i = 0; i < WaitlistFixture.PerAddress; i++)
        {
            using var response = await app.SignUpAsync(new { email = "user@deliveries.example.org" }, $"203.0.113.{70 + i}");
            Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        }

        var messages = (await app.SignupQueue.ReceiveMessagesAsync(32, TimeSpan.FromMinutes(5))).Value;
        Assert.Equal(WaitlistFixture.PerAddress, messages.Length);

        // Every message delivered twice, all at once (a visibility timeout ran out while the first delivery worked).
        var results = await Task.WhenAll(messages.Concat(messages).Select(app.DeliverSignupAsync));
        Assert.All(results, r => Assert.True(r.Succeeded, r.Error));
        foreach (var message in messages)
        {
            await app.SignupQueue.DeleteMessageAsync(message.MessageId, message.PopReceipt);
        }

        var lead = Assert.Single(await app.LeadsAtAsync("deliveries.example.org"));
        Assert.Equal(WaitlistFixture.PerAddress, lead.GetProperty("linksSent").GetInt32());
        Assert.Equal(WaitlistFixture.PerAddress, (await app.SentToAsync("deliveries.example.org")).Select(m => m.IdempotencyKey).Distinct().Count());
    }

    [Theory]
    [InlineData("gmail.com", "ada.lovelace@gmail.com", "adalovelace+1@gmail.com", "Ada.Love.Lace@googlemail.com", "a.d.a.lovelace+x@gmail.com")]
    [InlineData("tags.example.org", "bob@tags.example.org", "bob+1@tags.example.org", "Bob+2@tags.example.org", "bob+3@tags.example.org")]
    public async Task PerAddressLimit_CountsTheMailbox_NotItsVariants(string domain, string first, string second, string third, string fourth)
    {
        var i = 0;
        foreach (var email in new[] { first, second, third })
        {
            using var accepted = await app.SignUpAsync(new { email }, $"198.18.{domain.Length}.{++i}");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await app.SignUpAsync(new { email = fourth }, $"198.18.{domain.Length}.{++i}");

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "urn:rtgf:problem:rate-limited");
        Assert.Equal(3, (await app.SentToAsync(domain)).Count + (domain == "gmail.com" ? (await app.SentToAsync("googlemail.com")).Count : 0));
    }

    [Fact]
    public async Task PerDomainCap_LimitsTheSignUpsForOneDomain()
    {
        for (var i = 0; i < WaitlistFixture.PerDomain; i++)
        {
            using var accepted = await app.SignUpAsync(new { email = $"user{i}@capped.example.org" }, $"198.19.0.{i + 1}");
            Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        }

        using var refused = await app.SignUpAsync(new { email = "another@capped.example.org" }, "198.19.1.1");
        using var otherDomain = await app.SignUpAsync(new { email = "another@uncapped.example.org" }, "198.19.1.2");

        await AssertProblemAsync(refused, HttpStatusCode.TooManyRequests, "urn:rtgf:problem:rate-limited");
        Assert.Equal(HttpStatusCode.Accepted, otherDomain.StatusCode);
        Assert.Equal(WaitlistFixture.PerDomain, (await app.SentToAsync("capped.example.org")).Count);
    }

    [Fact]
    public async Task ALeadClearedAndCreatedAgain_GetsNewLinkIdsAndIdempotencyKeys()
    {
        var first = await ConfirmUrlAsync("cleared.example.org", "203.0.113.80");
        var id = Ids.LeadId("user@cleared.example.org");
        var leads = app.Azurite.TableService().GetTableClient(app.Prefix + TableLeadStore.TableName);
        await leads.DeleteEntityAsync(id, "lead"); // an operator clears the lead

        app.Clock.Advance(TimeSpan.FromMinutes(1));
        await ConfirmUrlAsync("cleared.example.org", "203.0.113.80");

        var sent = await app.SentToAsync("cleared.example.org");
        Assert.Equal(2, sent.Count);
        Assert.NotEqual(sent[0].IdempotencyKey, sent[1].IdempotencyKey);
        using var old = await app.SendAsync(HttpMethod.Post, first);
        await AssertProblemAsync(old, HttpStatusCode.Conflict, "urn:rtgf:problem:link-used"); // the old row's link is not the new row's
    }

    [Theory]
    [InlineData("{\"email\":\"not-an-address\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@b\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a b@example.org\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@@example.org\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\".a@example.org\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@example.org\\r\\nBcc: victim@example.org\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@-example.org\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":42}", "urn:rtgf:problem:invalid-json")]
    [InlineData("{}", "urn:rtgf:problem:invalid-json")]
    [InlineData("[\"a@example.org\"]", "urn:rtgf:problem:invalid-json")]
    [InlineData("{\"email\":", "urn:rtgf:problem:invalid-json")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"email\":\"b@bad.example.org\"}", "urn:rtgf:problem:invalid-json")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"organisation\":\"Evil\\r\\nBcc: victim@example.org\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"organisation\":\"Evil\\nX-Header: 1\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"organisation\":\"Evil\\u2028X-Header: 1\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"organisation\":\"   \"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"organisation\":7}", "urn:rtgf:problem:invalid-json")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"rtoCode\":\"ABC\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"rtoCode\":\"22\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"rtoCode\":\"0022/../x\"}", "urn:rtgf:problem:invalid-request")]
    [InlineData("{\"email\":\"a@bad.example.org\",\"rtoCode\":\"1234567\"}", "urn:rtgf:problem:invalid-request")]
    public async Task SignUp_RefusesBadInput_WithAProblem_AndStoresNothing(string body, string type)
    {
        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.SignUpAsync(content, "203.0.113.50");

        await AssertProblemAsync(response, HttpStatusCode.BadRequest, type);
        Assert.Empty(await app.LeadsAtAsync("bad.example.org"));
        Assert.Empty(await app.SentToAsync("bad.example.org"));
    }

    [Fact]
    public async Task SignUp_RefusesAWrongContentTypeAndAHugeBody()
    {
        using (var form = new FormUrlEncodedContent([new("email", "a@bad.example.org")]))
        using (var response = await app.SignUpAsync(form, "203.0.113.51"))
        {
            await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "urn:rtgf:problem:unsupported-media-type");
        }

        using (var none = new ByteArrayContent(Encoding.UTF8.GetBytes("{\"email\":\"a@bad.example.org\"}")))
        using (var response = await app.SignUpAsync(none, "203.0.113.51"))
        {
            await AssertProblemAsync(response, HttpStatusCode.UnsupportedMediaType, "urn:rtgf:problem:unsupported-media-type");
        }

        var huge = "{\"email\":\"a@bad.example.org\",\"organisation\":\"" + new string('x', 1_000_000) + "\"}";
        using (var content = new StringContent(huge, Encoding.UTF8, "application/json"))
        using (var response = await app.SignUpAsync(content, "203.0.113.51"))
        {
            await AssertProblemAsync(response, HttpStatusCode.RequestEntityTooLarge, "urn:rtgf:problem:payload-too-large");
        }

        var longOrganisation = "{\"email\":\"a@bad.example.org\",\"organisation\":\"" + new string('x', WaitlistEndpoints.MaxOrganisationLength + 1) + "\"}";
        using (var content = new StringContent(longOrganisation, Encoding.UTF8, "application/json"))
        using (var response = await app.SignUpAsync(content, "203.0.113.51"))
        {
            await AssertProblemAsync(response, HttpStatusCode.BadRequest, "urn:rtgf:problem:invalid-request");
        }

        Assert.Empty(await app.LeadsAtAsync("bad.example.org"));
    }

    private async Task<string> ConfirmUrlAsync(string domain, string clientAddress)
    {
        using var response = await app.SignUpAsync(new { email = "user@" + domain }, clientAddress);
        Assert.Equal(HttpStatusCode.Accepted, response.StatusCode);
        return (await app.SentToAsync(domain))[^1].Values["confirm-url"];
    }

    private WaitlistIds Ids => app.Services.GetRequiredService<WaitlistSettings>().Ids!;

    private static string Token(string url) => Uri.UnescapeDataString(new Uri(url).Query["?token=".Length..]);

    private static async Task AssertProblemAsync(HttpResponseMessage response, HttpStatusCode status, string type)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        using var problem = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        Assert.Equal(type, problem.RootElement.GetProperty("type").GetString());
    }

    [GeneratedRegex(@"\{\{([A-Za-z0-9-]+)\}\}")]
    private static partial Regex Placeholder();
}
