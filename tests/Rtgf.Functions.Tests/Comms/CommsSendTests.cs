using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Configuration;
using Rtgf.Azure.Comms;
using Rtgf.Functions.Comms;
using Rtgf.Functions.Tests.Webhooks;
using Rtgf.Functions.Workers;
using Rtgf.Pipeline.Comms;

namespace Rtgf.Functions.Tests.Comms;

/// <summary>
/// The <c>comms</c> queue function end to end: the real app renders, claims and sends through the real Resend and Cellcast
/// clients to the simulator, whose record of what it sent is the truth: a duplicate, concurrent or retried delivery sends
/// once, faults are retried, a refused message is poisoned with its reason, and suppressed addresses get nothing.
/// </summary>
public sealed class CommsSendTests(CommsAppFixture app) : IClassFixture<CommsAppFixture>
{
    [Fact]
    public async Task Email_IsRenderedAndSentOnce_EvenWhenItsMessageIsDeliveredTwice()
    {
        var request = CommsAppFixture.Email("ada@example.org", "test:email-twice", reference: "R-<1>", name: "Ada & Co");
        await app.Outbox.EnqueueAsync(request);
        await app.Outbox.EnqueueAsync(request);

        await app.DrainCommsAsync();
        var emails = await app.EmailsToAsync("ada@example.org");
        var record = (await app.CommsStore.GetSendAsync("test:email-twice", default))!.Value.Record;

        var email = Assert.Single(emails);
        Assert.Equal(CommsAppFixture.From, (string?)email["from"]);
        Assert.Equal("RTGF delivery check R-<1>", (string?)email["subject"]);
        Assert.Contains("Hello Ada & Co,", (string?)email["text"], StringComparison.Ordinal);
        Assert.Contains("<p>Hello Ada &amp; Co,</p>", (string?)email["html"], StringComparison.Ordinal);
        Assert.Contains("<code>R-&lt;1&gt;</code>", (string?)email["html"], StringComparison.Ordinal);
        Assert.Equal("test:email-twice", (string?)email["idempotencyKey"]);
        Assert.Equal(CommsSendStates.Sent, record.State);
        Assert.Equal((string?)email["id"], record.ProviderId);
        Assert.Equal("a***@example.org", record.MaskedTo);
    }

    [Fact]
    public async Task Sms_ConcurrentAndDuplicateDeliveries_TextOnce()
    {
        var request = CommsAppFixture.Sms("+61400000101", "test:sms-concurrent");
        for (var i = 0; i < 3; i++)
        {
            await app.Outbox.EnqueueAsync(request);
        }

        await app.CommsQueue.CreateIfNotExistsAsync();
        var received = (await app.CommsQueue.ReceiveMessagesAsync(3, TimeSpan.FromMinutes(5))).Value;
        await Task.WhenAll(received.Select(app.DeliverAsync)); // three deliveries of one message at once
        await app.DrainCommsAsync(); // and the retries of those that lost the claim

        var texts = await app.SmsToAsync("+61400000101");
        var record = (await app.CommsStore.GetSendAsync("test:sms-concurrent", default))!.Value.Record;

        Assert.Equal(3, received.Length);
        var sms = Assert.Single(texts);
        Assert.Equal("RTGF delivery check R-1: if you can read this, texts from RTGF reach you. No reply needed.", (string?)sms["text"]);
        Assert.Equal(CommsSendStates.Sent, record.State);
        Assert.Equal((string?)sms["messageId"], record.ProviderId);
    }

    [Theory]
    [InlineData("TooManyRequests")]
    [InlineData("ServerError")]
    [InlineData("Unavailable")]
    [InlineData("Truncated")]
    [InlineData("Malformed")]
    [InlineData("SchemaDrift")]
    public async Task Email_ThroughEveryFault_IsSentExactlyOnce(string mode)
    {
        var to = $"fault-{mode.ToLowerInvariant()}@example.org";
        await app.FaultAsync("/emails", mode);
        await app.Outbox.EnqueueAsync(CommsAppFixture.Email(to, "test:email-fault-" + mode));

        await app.DrainCommsAsync();
        var record = (await app.CommsStore.GetSendAsync("test:email-fault-" + mode, default))!.Value.Record;

        var email = Assert.Single(await app.EmailsToAsync(to)); // a cut or spoiled answer is retried with the same key: Resend sends once
        Assert.Equal(CommsSendStates.Sent, record.State);
        Assert.Equal((string?)email["id"], record.ProviderId);
    }

    [Fact]
    public async Task Email_OverResendsRateLimit_IsRetriedAfterItsRetryAfter_AndSentOnce()
    {
        // A client of its own on a clock of its own, with a non-zero cap on retry-after: the retry must wait the 1 s Resend asks.
        var clock = new Rtgf.Testing.ManualTimeProvider(app.Clock.GetUtcNow());
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Resend:ApiKey"] = app.SimulatorOptions.ResendApiKey,
            ["Resend:From"] = CommsAppFixture.From,
            ["Resend:ApiBase"] = app.Simulator.BaseAddress.AbsoluteUri,
            ["Resend:RetryDelayMilliseconds"] = "500", // retry-after honoured up to 5 s
        }).Build();
        using var outbound = new Rtgf.Ingestion.Outbound.OutboundHttpClientFactory(clock, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var resend = ResendClient.FromConfiguration(settings, outbound);
        using var limited = await app.Sim.PostAsync(new Uri("_sim/comms/resend/rate-limit?count=1", UriKind.Relative), null);
        var start = clock.GetUtcNow();

        var sending = resend.SendAsync("limited@example.org", new RenderedEmail("s", "t", "<p>h</p>"), "test:email-429", default);
        await CommsWait.UntilAsync(() => Task.FromResult(clock.PendingWaits > 0 || sending.IsCompleted), "the client waits to retry");
        var due = clock.NextWaitDue;
        var sentBefore = await app.EmailsToAsync("limited@example.org");
        clock.Advance(TimeSpan.FromSeconds(1));
        var id = await sending;

        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.Equal(start.AddSeconds(1), due); // the 429's retry-after, not the 0.5 s backoff
        Assert.Empty(sentBefore);
        Assert.Equal(id, (string?)Assert.Single(await app.EmailsToAsync("limited@example.org"))["id"]);
    }

    [Theory]
    [InlineData("TooManyRequests", "+61400000011")]
    [InlineData("Malformed", "+61400000014")]
    public async Task Sms_AfterAFaultyAnswer_IsTextedOnce(string mode, string to)
    {
        await app.FaultAsync("/api/v3/send-sms", mode);
        await app.Outbox.EnqueueAsync(CommsAppFixture.Sms(to, "test:sms-fault-" + mode));

        await app.DrainCommsAsync();
        var record = (await app.CommsStore.GetSendAsync("test:sms-fault-" + mode, default))!.Value.Record;

        var sms = Assert.Single(await app.SmsToAsync(to)); // a 429 sent nothing: retried later
        Assert.Equal(CommsSendStates.Sent, record.State);
        Assert.Equal(mode == "Malformed" ? CellcastClient.UnknownId : (string?)sms["messageId"], record.ProviderId); // a 200 that cannot be read was still sent
    }

    [Theory]
    [InlineData("ServerError", "+61400000012")]
    [InlineData("Unavailable", "+61400000013")]
    public async Task Sms_AfterA5xx_MayHaveBeenQueued_SoIsFailed_AndNeverTextedAgain(string mode, string to)
    {
        await app.FaultAsync("/api/v3/send-sms", mode);
        await app.Outbox.EnqueueAsync(CommsAppFixture.Sms(to, "test:sms-5xx-" + mode));

        await app.DrainCommsAsync();
        await app.Outbox.EnqueueAsync(CommsAppFixture.Sms(to, "test:sms-5xx-" + mode));
        await app.DrainCommsAsync();
        await app.DrainPoisonAsync();
        var record = (await app.CommsStore.GetSendAsync("test:sms-5xx-" + mode, default))!.Value.Record;

        Assert.Empty(await app.SmsToAsync(to)); // the simulator's fault sent nothing, but Cellcast's 5xx cannot promise that
        Assert.Equal(CommsSendStates.Failed, record.State);
        Assert.Equal(1, record.Tries); // Cellcast was asked once
        Assert.StartsWith("The text may have been sent, so it is not sent again: Cellcast failed with HTTP 5", record.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sms_WhoseSendGotNoAnswer_IsNeverTextedAgain_AndIsPoisonedWithTheReason()
    {
        await app.FaultAsync("/api/v3/send-sms", "Truncated"); // Cellcast took it, the answer was cut
        await app.Outbox.EnqueueAsync(CommsAppFixture.Sms("+61400000202", "test:sms-ambiguous"));

        var invocations = await app.DrainCommsAsync();
        await app.DrainPoisonAsync();
        var record = (await app.CommsStore.GetSendAsync("test:sms-ambiguous", default))!.Value.Record;

        Assert.Equal(WebhookAppFixture.MaxDequeueCount, invocations);
        Assert.Single(await app.SmsToAsync("+61400000202"));
        Assert.Equal(CommsSendStates.Failed, record.State); // failed at once by the try itself: a new request with the key must not text again
        Assert.StartsWith("The text may have been sent, so it is not sent again: Cellcast did not answer", record.LastError, StringComparison.Ordinal);

        await app.Outbox.EnqueueAsync(CommsAppFixture.Sms("+61400000202", "test:sms-ambiguous"));
        await app.DrainCommsAsync();
        Assert.Single(await app.SmsToAsync("+61400000202"));
    }

    [Fact]
    public async Task SmsClaimedByADeliveryThatDied_WaitsForTheClaim_ThenFailsRatherThanTextTwice()
    {
        var now = app.Clock.GetUtcNow();
        await app.CommsStore.TryAddSendAsync(new CommsSendRecord("test:sms-crashed", "sms", "delivery-check", "+614*****303", CommsSendStates.Sending, now, now), default);
        await app.Outbox.EnqueueAsync(CommsAppFixture.Sms("+61400000303", "test:sms-crashed"));
        await app.CommsQueue.CreateIfNotExistsAsync();

        await app.DeliverAsync((await app.CommsQueue.ReceiveMessagesAsync(1, TimeSpan.FromMinutes(5))).Value[0]);
        var waiting = (await app.CommsStore.GetSendAsync("test:sms-crashed", default))!.Value.Record;
        var leftOnQueue = (await app.CommsQueue.PeekMessagesAsync(32)).Value.Count(m => m.Body.ToString().Contains("test:sms-crashed", StringComparison.Ordinal));
        app.Clock.Advance(new CommsSenderOptions().ClaimTimeout + TimeSpan.FromSeconds(1));
        await app.Outbox.EnqueueAsync(CommsAppFixture.Sms("+61400000303", "test:sms-crashed")); // the dead claimant's own message, redelivered
        await app.DrainCommsAsync();
        var record = (await app.CommsStore.GetSendAsync("test:sms-crashed", default))!.Value.Record;

        Assert.Equal(CommsSendStates.Sending, waiting.State); // the claim is young: maybe still sending
        Assert.Equal(0, leftOnQueue); // the duplicate completed ("in flight elsewhere"): it never waits its way into the poison queue
        Assert.Empty(await app.SmsToAsync("+61400000303"));
        Assert.Equal(CommsSendStates.Failed, record.State);
        Assert.Contains("never recorded the outcome", record.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task EmailClaimedByADeliveryThatDiedAfterSending_IsSentAgainWithItsKey_AndResendSendsItOnce()
    {
        // The dead delivery reached Resend (same key, same body) and died before recording it.
        var request = CommsAppFixture.Email("crashed@example.org", "test:email-crashed");
        var rendered = app.Services.GetRequiredService<CommsTemplates>().RenderEmail(request.Template, request.Values);
        var firstId = await app.Services.GetRequiredService<ResendClient>().SendAsync(request.To, rendered, request.IdempotencyKey, default);
        var now = app.Clock.GetUtcNow();
        await app.CommsStore.TryAddSendAsync(new CommsSendRecord(request.IdempotencyKey, "email", request.Template, "c***@example.org", CommsSendStates.Sending, now, now), default);
        app.Clock.Advance(new CommsSenderOptions().ClaimTimeout + TimeSpan.FromSeconds(1));

        await app.Outbox.EnqueueAsync(request);
        await app.DrainCommsAsync();
        var record = (await app.CommsStore.GetSendAsync(request.IdempotencyKey, default))!.Value.Record;

        var email = Assert.Single(await app.EmailsToAsync("crashed@example.org"));
        Assert.Equal(firstId, (string?)email["id"]);
        Assert.Equal(CommsSendStates.Sent, record.State);
        Assert.Equal(firstId, record.ProviderId);
    }

    [Fact]
    public async Task Email_ResendRefusesAsInvalid_IsPoisonedWithResendsReason_AndNeverSent()
    {
        await app.Outbox.EnqueueAsync(CommsAppFixture.Email("nobody@localhost", "test:email-invalid"));

        var invocations = await app.DrainCommsAsync();
        var poisoned = await app.DrainPoisonAsync();
        var record = (await app.CommsStore.GetSendAsync("test:email-invalid", default))!.Value.Record;

        Assert.Equal(WebhookAppFixture.MaxDequeueCount, invocations); // retried by the host, failing at once after the first refusal
        Assert.Single(poisoned, body => body.Contains("\"test:email-invalid\"", StringComparison.Ordinal));
        Assert.Empty(await app.EmailsToAsync("nobody@localhost"));
        Assert.Equal(CommsSendStates.Failed, record.State);
        Assert.Equal(1, record.Tries); // Resend was asked once
        Assert.StartsWith("Resend refused the email: HTTP 422 validation_error: Invalid `to` field.", record.LastError, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Request_WithAMissingValue_IsPoisonedWithoutCallingAProvider()
    {
        var request = new CommsRequest(CommsChannel.Email, "delivery-check", "partial@example.org", new Dictionary<string, string> { ["name"] = "Ada" }, "test:missing-value");
        await app.Outbox.EnqueueAsync(request);

        await app.DrainCommsAsync();
        await app.DrainPoisonAsync();
        var record = (await app.CommsStore.GetSendAsync("test:missing-value", default))!.Value.Record;

        Assert.Empty(await app.EmailsToAsync("partial@example.org"));
        Assert.Equal(CommsSendStates.Failed, record.State);
        Assert.Equal("Template delivery-check needs the value 'reference', which the request does not give.", record.LastError);
    }

    [Fact]
    public async Task SuppressedAddress_IsNotEmailed()
    {
        await app.CommsStore.SuppressAsync("Bounced Person <Bounced@Example.org>", "hard bounce", "msg_test", app.Clock.GetUtcNow(), default);
        await app.Outbox.EnqueueAsync(CommsAppFixture.Email("bounced@example.org", "test:suppressed"));

        await app.DrainCommsAsync();
        var record = (await app.CommsStore.GetSendAsync("test:suppressed", default))!.Value.Record;

        Assert.Empty(await app.EmailsToAsync("bounced@example.org"));
        Assert.Equal(CommsSendStates.Suppressed, record.State);
    }

    [Fact]
    public async Task Logs_NeverShowAnApiKeyOrAWholeRecipient()
    {
        await app.Outbox.EnqueueAsync(CommsAppFixture.Email("secretive.person@example.org", "test:logs-email"));
        await app.Outbox.EnqueueAsync(CommsAppFixture.Sms("+61400000404", "test:logs-sms"));
        await app.FaultAsync("/emails", "ServerError");
        await app.Outbox.EnqueueAsync(CommsAppFixture.Email("secretive.other@example.org", "test:logs-email-2"));

        await app.DrainCommsAsync();
        var logged = string.Join('\n', app.Logs.Entries.Select(e => e.Message + " " + string.Join(' ', e.State.Values) + " " + string.Join(' ', e.Scopes.Values)));

        Assert.Single(await app.EmailsToAsync("secretive.person@example.org"));
        Assert.Contains("s***@example.org", logged, StringComparison.Ordinal); // the sends were logged, masked
        Assert.DoesNotContain(app.SimulatorOptions.ResendApiKey, logged, StringComparison.Ordinal);
        Assert.DoesNotContain(app.SimulatorOptions.CellcastApiKey, logged, StringComparison.Ordinal);
        Assert.DoesNotContain("secretive.person@example.org", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("secretive.other@example.org", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("+61400000404", logged, StringComparison.Ordinal);
        Assert.DoesNotContain("61400000", logged, StringComparison.Ordinal); // a number shows its last 3 digits at most
        Assert.DoesNotContain("test:logs-", logged, StringComparison.Ordinal); // keys can name a person (the waitlist's do): logged as the ledger key
        Assert.Contains(Rtgf.Azure.Comms.TableCommsStore.LedgerKey("test:logs-email"), logged, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Clients_WithoutTheirSettings_SayWhichIsMissing_AndRefuseToSendAsARetry()
    {
        var empty = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { ["Resend:From"] = "x@example.org" }).Build();
        using var outbound = new Rtgf.Ingestion.Outbound.OutboundHttpClientFactory(app.Clock, Microsoft.Extensions.Logging.Abstractions.NullLoggerFactory.Instance);
        var resend = ResendClient.FromConfiguration(empty, outbound);
        var cellcast = CellcastClient.FromConfiguration(empty, outbound);

        var emailFailure = await Assert.ThrowsAsync<CommsSendException>(() => resend.SendAsync("a@example.org", new RenderedEmail("s", "t", "h"), "k", default));
        var smsFailure = await Assert.ThrowsAsync<CommsSendException>(() => cellcast.SendAsync("+61400000000", "t", default));

        Assert.Equal("Email is not configured: the setting Resend:ApiKey is missing.", resend.Problem);
        Assert.Equal("SMS is not configured: the setting Cellcast:ApiKey is missing.", cellcast.Problem);
        Assert.Equal((CommsFailure.Retry, resend.Problem), (emailFailure.Failure, emailFailure.Message));
        Assert.Equal((CommsFailure.Retry, cellcast.Problem), (smsFailure.Failure, smsFailure.Message));
    }

    [Fact]
    public async Task Email_WhileResendIsDown_IsRetriedLaterAndLater_ThenPoisonedWithItsRequestKept_AndAReplaySendsItOnce()
    {
        const string key = "test:email-outage";
        var ledgerKey = Rtgf.Azure.Comms.TableCommsStore.LedgerKey(key);
        await app.FaultAsync("/emails", "Unavailable", count: 1000); // down for the whole retry schedule (then the circuit opens: still a Retry)
        await app.Outbox.EnqueueAsync(CommsAppFixture.Email("outage@example.org", key));

        var invocations = await app.DrainCommsAsync();
        var poisonedBodies = await app.DrainPoisonAsync();
        var poisoned = (await app.CommsStore.GetSendAsync(key, default))!.Value.Record;
        var delays = app.CommsDelays.Where(d => d.Body.Contains(key, StringComparison.Ordinal)).Select(d => d.Delay).ToList();
        using (var cleared = await app.Sim.DeleteAsync(new Uri("_sim/faults", UriKind.Relative)))
        {
            cleared.EnsureSuccessStatusCode();
        }

        app.Clock.Advance(TimeSpan.FromMinutes(5)); // Resend is back and the circuit's break is over

        using var client = app.CreateClient();
        var list = await client.GetFromJsonAsync<JsonObject>("/ops/comms?state=poisoned&limit=200");
        var shown = await client.GetFromJsonAsync<JsonObject>($"/ops/comms/{ledgerKey}");
        using var replay = await client.PostAsync(new Uri($"/ops/comms/{ledgerKey}/replay", UriKind.Relative), null);
        await app.DrainCommsAsync();
        using var again = await client.PostAsync(new Uri($"/ops/comms/{ledgerKey}/replay", UriKind.Relative), null);
        var record = (await app.CommsStore.GetSendAsync(key, default))!.Value.Record;

        Assert.Equal(CommsEnvelope.MaxRetries + 1, invocations); // each Retry completed and came back later: never the host's 5 quick tries
        Assert.DoesNotContain(poisonedBodies, b => b.Contains(key, StringComparison.Ordinal));
        Assert.Equal(new[] { 1, 2, 4, 8, 16, 32, 60, 60, 60, 60 }.Select(m => TimeSpan.FromMinutes(m)), delays);
        Assert.True(delays.Aggregate(TimeSpan.Zero, (a, b) => a + b) + TimeSpan.FromSeconds(CommsSenderOptions.MaxClaimTimeoutSeconds) < TimeSpan.FromHours(24)); // inside Resend's key window
        Assert.Equal(CommsSendStates.Poisoned, poisoned.State);
        Assert.StartsWith($"Gave up after {CommsEnvelope.MaxRetries} retries: ", poisoned.LastError, StringComparison.Ordinal);
        Assert.Contains(list!["messages"]!.AsArray(), m => (string?)m!["key"] == ledgerKey && (string?)m["to"] == "o***@example.org");
        Assert.Equal(true, (bool?)shown!["requestKept"]);
        Assert.DoesNotContain("outage@example.org", shown.ToJsonString(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, replay.StatusCode);
        Assert.Single(await app.EmailsToAsync("outage@example.org"));
        Assert.Equal(CommsSendStates.Sent, record.State);
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode); // sent: nothing to replay
    }

    [Theory]
    [InlineData("/ops/comms?state=lost", HttpStatusCode.BadRequest)]
    [InlineData("/ops/comms?limit=0", HttpStatusCode.BadRequest)]
    [InlineData("/ops/comms?cursor=***", HttpStatusCode.BadRequest)]
    [InlineData("/ops/comms/not-a-key", HttpStatusCode.BadRequest)]
    [InlineData("/ops/comms/0000000000000000000000000000000000000000000000000000000000000000", HttpStatusCode.NotFound)]
    public async Task OpsComms_RefusesBadInputWithAProblem(string path, HttpStatusCode expected)
    {
        using var client = app.CreateClient();

        using var response = await client.GetAsync(new Uri(path, UriKind.Relative));

        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Email_CancelledAfterItsClaim_ReleasesTheClaim_SoTheNextDeliverySendsIt()
    {
        const string key = "test:email-cancelled";
        await app.FaultAsync("/emails", "Slow"); // Resend holds the request until the clock moves: the try is cancelled meanwhile
        using var cancel = new CancellationTokenSource();
        var sending = app.Services.GetRequiredService<CommsSender>().SendAsync(CommsAppFixture.Email("cancelled@example.org", key), cancel.Token);
        await CommsWait.UntilAsync(async () => sending.IsCompleted || (await app.CommsStore.GetSendAsync(key, default))?.Record.State == CommsSendStates.Sending, "the message is claimed");
        await cancel.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => sending);
        var released = (await app.CommsStore.GetSendAsync(key, default))!.Value.Record;
        using (var cleared = await app.Sim.DeleteAsync(new Uri("_sim/faults", UriKind.Relative)))
        {
            cleared.EnsureSuccessStatusCode(); // the try may have been cancelled before it reached the hold: the next send must not meet it
        }
        await app.Outbox.EnqueueAsync(CommsAppFixture.Email("cancelled@example.org", key));
        await app.DrainCommsAsync();
        var record = (await app.CommsStore.GetSendAsync(key, default))!.Value.Record;

        Assert.Equal(CommsSendStates.Retry, released.State);
        Assert.Null(released.ClaimedAt);
        Assert.Single(await app.EmailsToAsync("cancelled@example.org"));
        Assert.Equal(CommsSendStates.Sent, record.State);
    }

    [Fact]
    public async Task CommsPoison_LeavesALiveClaimAlone()
    {
        var now = app.Clock.GetUtcNow();
        var request = CommsAppFixture.Email("claimed@example.org", "test:poison-live-claim");
        await app.CommsStore.TryAddSendAsync(new CommsSendRecord(request.IdempotencyKey, "email", request.Template, "c***@example.org", CommsSendStates.Sending, now, now), default);
        await app.CommsPoisonQueue.CreateIfNotExistsAsync();
        await app.CommsPoisonQueue.SendMessageAsync(System.Text.Json.JsonSerializer.Serialize(request, CommsJson.Default.CommsRequest));

        await app.DrainPoisonAsync();
        var record = (await app.CommsStore.GetSendAsync(request.IdempotencyKey, default))!.Value.Record;

        Assert.Equal(CommsSendStates.Sending, record.State); // the claimant records its own outcome
        Assert.Equal(now, record.ClaimedAt);
    }

    [Fact]
    public async Task Email_SentWhileItsRowWasTakenOver_IsStillRecordedSent()
    {
        const string key = "test:email-row-taken";
        var baseline = app.Clock.PendingWaits;
        await app.FaultAsync("/emails", "Slow");
        var sending = app.Services.GetRequiredService<CommsSender>().SendAsync(CommsAppFixture.Email("taken@example.org", key), default);
        await CommsWait.UntilAsync(() => Task.FromResult(sending.IsCompleted || app.Clock.PendingWaits > baseline), "Resend holds the request");
        var claimed = (await app.CommsStore.GetSendAsync(key, default))!.Value;
        var taken = await app.CommsStore.TryReplaceSendAsync(claimed.Record with { State = CommsSendStates.Poisoned, ClaimedAt = null }, claimed.ETag, default); // a stale-claim takeover
        var start = app.Clock.GetUtcNow();
        while (!sending.IsCompleted)
        {
            // Releases Resend's hold (a wait, 5 s) and nothing past 15 s: the attempt's 20 s timeout never fires, so the
            // send finishes on its first attempt however slowly this machine runs it (stepping the clock on while the
            // answer is read would time the attempt out and, under load, the whole send).
            var now = app.Clock.GetUtcNow();
            if (app.Clock.NextWaitDue is { } due && due > now && due - start <= TimeSpan.FromSeconds(15))
            {
                app.Clock.Advance(due - now);
            }
            else
            {
                Thread.Sleep(10);
            }
        }

        var outcome = await sending;
        var record = (await app.CommsStore.GetSendAsync(key, default))!.Value.Record;

        Assert.NotNull(taken);
        var email = Assert.Single(await app.EmailsToAsync("taken@example.org"));
        Assert.StartsWith("sent", outcome, StringComparison.Ordinal);
        Assert.Equal(CommsSendStates.Sent, record.State); // a send that happened is a fact
        Assert.Equal((string?)email["id"], record.ProviderId);
    }

    [Fact]
    public async Task WaitlistConfirmEmail_CarriesOneClickListUnsubscribeHeaders_AndOtherEmailsNone()
    {
        var values = new Dictionary<string, string>
        {
            ["confirm-url"] = "https://rtgf.test/v1/waitlist/confirm?token=c1",
            ["expires-minutes"] = "15",
            ["unsubscribe-url"] = "https://rtgf.test/v1/waitlist/unsubscribe?token=u1",
        };
        await app.Outbox.EnqueueAsync(new CommsRequest(CommsChannel.Email, "waitlist-confirm", "lead@example.org", values, "test:waitlist-headers"));
        await app.Outbox.EnqueueAsync(CommsAppFixture.Email("plain@example.org", "test:no-headers"));

        await app.DrainCommsAsync();

        var headers = Assert.Single(await app.EmailsToAsync("lead@example.org"))["headers"]!.AsObject();
        Assert.Equal("<https://rtgf.test/v1/waitlist/unsubscribe?token=u1>", (string?)headers["List-Unsubscribe"]);
        Assert.Equal("List-Unsubscribe=One-Click", (string?)headers["List-Unsubscribe-Post"]);
        Assert.Equal(2, headers.Count);
        Assert.Empty(Assert.Single(await app.EmailsToAsync("plain@example.org"))["headers"]!.AsObject());
    }

    [Theory]
    [InlineData(429, null, CommsFailure.Retry)]
    [InlineData(401, "AUTH_FAILED", CommsFailure.Retry)]
    [InlineData(403, null, CommsFailure.Retry)]
    [InlineData(200, "OVER_LIMIT", CommsFailure.Retry)]
    [InlineData(500, null, CommsFailure.Ambiguous)]
    [InlineData(502, null, CommsFailure.Ambiguous)]
    [InlineData(504, null, CommsFailure.Ambiguous)]
    [InlineData(400, "FIELD_INVALID", CommsFailure.Permanent)]
    public void CellcastAnswers_AreRetriedOnlyWhenNothingCanHaveBeenQueued(int status, string? cellcastStatus, CommsFailure expected) =>
        Assert.Equal(expected, CellcastClient.Classify((HttpStatusCode)status, cellcastStatus));

    [Theory]
    [InlineData("+61400000404", "+********404")]
    [InlineData("0400000404", "*******404")]
    [InlineData("Ada.Lovelace@Example.org", "A***@Example.org")]
    public void Recipients_AreMasked_APhoneToItsLast3Digits(string recipient, string masked) =>
        Assert.Equal(masked, CommsRedaction.Mask(recipient));

    [Fact]
    public void ProviderText_HasItsDigitRunsMasked() =>
        Assert.Equal("Invalid number +********404 (and **** *** 123), HTTP 500", CommsRedaction.MaskDigits("Invalid number +61400000404 (and 0400 000 123), HTTP 500"));

    [Theory]
    [InlineData("3600", true)]
    [InlineData("3601", false)]
    [InlineData("86400", false)]
    [InlineData("89", false)]
    public void ClaimTimeout_IsCappedAtAnHour(string seconds, bool accepted)
    {
        var settings = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?> { [CommsSenderOptions.ClaimTimeoutSetting] = seconds }).Build();

        var refused = Record.Exception(() => CommsSenderOptions.FromConfiguration(settings));

        Assert.Equal(accepted, refused is null);
    }

    [Fact]
    public void CommsFunctions_AreTriggeredByTheOutboxQueueAndItsPoisonQueue()
    {
        var index = Rtgf.Functions.Functions.FunctionIndex.ForApp();

        Assert.Equal(CommsOutbox.Queue, index["comms"].QueueName);
        Assert.Equal(CommsFunction.PoisonQueue, index["comms-poison"].QueueName);
        Assert.Equal("rtgf-comms-poison", CommsFunction.PoisonQueue);
        Assert.Equal("k", ResendClient.ProviderKey("k"));
        Assert.Equal(7 + 64, ResendClient.ProviderKey(new string('x', 257)).Length);
        Assert.StartsWith("sha256-", ResendClient.ProviderKey("has space"), StringComparison.Ordinal);
    }
}
