using Rtgf.Pipeline.Comms;

namespace Rtgf.Functions.Composition;

/// <summary>
/// Email and SMS (issue 16): the outbox every caller enqueues to. The senders, the templates and the <c>comms</c> queue
/// function are added here too.
/// </summary>
internal static class CommsServices
{
    public static IHostApplicationBuilder AddComms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<CommsOutbox>();
        return builder;
    }
}
