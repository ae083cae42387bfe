using System.Text.Json;
using Microsoft.Azure.Functions.Worker;
using Rtgf.Functions.Workers;

namespace Rtgf.Functions.Waitlist;

/// <summary>
/// <c>waitlist-signups</c>: applies each sign-up <c>POST /v1/waitlist</c> queued on <c>rtgf-waitlist-signups</c>
/// (<see cref="WaitlistSignups.ApplyAsync"/>: the lead's read, insert or compare-and-swap, and the email's enqueue; a failed
/// try is retried by the host, and a retry finds its own write). <c>waitlist-signups-poison</c>: logs that the host gave
/// up on one (by lead id, never the address); the person got a 202 and no email, and signing up again sends a link.
/// </summary>
public sealed class WaitlistSignupFunction(WaitlistSignups waitlist, WaitlistSettings settings, ILogger<WaitlistSignupFunction> logger)
{
    public const string PoisonQueue = WaitlistSignups.Queue + "-poison";

    [Function("waitlist-signups")]
    public async Task Apply(
        [QueueTrigger(WaitlistSignups.Queue, Connection = QueueMessages.Connection)] string message, string? id, CancellationToken cancellationToken)
    {
        var signup = QueueMessages.Read(message, WaitlistJson.Default.WaitlistSignup);
        var applied = await waitlist.ApplyAsync(signup, QueueMessages.MessageId(id, message, "waitlist-signups"), cancellationToken).ConfigureAwait(false);
        logger.Outcome(() => $"waitlist-signups: lead {LeadId(signup)}: {applied}.");
    }

    [Function("waitlist-signups-poison")]
    public Task Poisoned([QueueTrigger(PoisonQueue, Connection = QueueMessages.Connection)] string message)
    {
        string lead;
        try
        {
            lead = LeadId(QueueMessages.Read(message, WaitlistJson.Default.WaitlistSignup));
        }
        catch (JsonException)
        {
            lead = "(unreadable message)";
        }

        logger.Outcome(() => $"waitlist-signups-poison: the sign-up of lead {lead} was given up: no link was sent; a new sign-up sends one.");
        return Task.CompletedTask;
    }

    private string LeadId(WaitlistSignup signup) =>
        settings.Ids is { } ids && signup.Email is { } email && Rtgf.Pipeline.Waitlist.WaitlistAddress.Normalise(email, out _) is { } address ? ids.LeadId(address) : "(unknown)";
}
