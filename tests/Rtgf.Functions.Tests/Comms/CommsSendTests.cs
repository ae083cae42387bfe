using System.Net;
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
        await app.DrainCommsAsync(); // nothing of another test's left to count
        using var limited = await app.Sim.PostAsync(new Uri("_sim/comms/resend/rate-limit?count=2", UriKind.Relative), null);
        await app.Outbox.EnqueueAsync(CommsAppFixture.Email("limited@example.org", "test:email-429"));

        var invocations = await app.DrainCommsAsync();

        Assert.Equal(HttpStatusCode.OK, limited.StatusCode);
        Assert.Equal(1, invocations); // the outbound pipeline retried the 429s (the request carries its idempotency key)
        Assert.Single(await app.EmailsToAsync("limited@example.org"));
    }

    [Theory]
    [InlineData("TooManyRequests", "+61400000011")]
    [InlineData("ServerError", "+61400000012")]
    [InlineData("Unavailable", "+61400000013")]
    [InlineData("Malformed", "+61400000014")]
    public async Task Sms_AfterAFaultyAnswer_IsTextedOnce(string mode, string to)
    {
        await app.FaultAsync("/api/v3/send-sms", mode);
        await app.Outbox.EnqueueAsync(CommsAppFixture.Sms(to, "test:sms-fault-" + mode));

        await app.DrainCommsAsync();
        var record = (await app.CommsStore.GetSendAsync("test:sms-fault-" + mode, default))!.Value.Record;

        var sms = Assert.Single(await app.SmsToAsync(to)); // 429 and 5xx sent nothing: retried by the host
        Assert.Equal(CommsSendStates.Sent, record.State);
        Assert.Equal(mode == "Malformed" ? CellcastClient.UnknownId : (string?)sms["messageId"], record.ProviderId); // a 200 that cannot be read was still sent
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
        Assert.Equal(CommsSendStates.Failed, record.State); // not poisoned: a new request with the key must not text again
        Assert.StartsWith("Poisoned while claimed: the text may have been sent", record.LastError, StringComparison.Ordinal);

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
        app.Clock.Advance(new CommsSenderOptions().ClaimTimeout + TimeSpan.FromSeconds(1));
        await app.DrainCommsAsync();
        var record = (await app.CommsStore.GetSendAsync("test:sms-crashed", default))!.Value.Record;

        Assert.Equal(CommsSendStates.Sending, waiting.State); // the claim is young: maybe still sending
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
