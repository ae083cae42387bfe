using Polly.CircuitBreaker;
using Polly.Timeout;
using Rtgf.Functions.Comms;
using Rtgf.Ingestion.Outbound;

namespace Rtgf.Functions.Tests.Comms;

/// <summary>A failure before the request left is a plain retry; one after it may have been sent is ambiguous (an SMS is then not sent again).</summary>
public sealed class SendFailuresTests
{
    public static TheoryData<Exception, CommsFailure> Failures() => new()
    {
        { new BrokenCircuitException(), CommsFailure.Retry },
        { new OutboundRateLimitedException(), CommsFailure.Retry },
        { new HttpRequestException(HttpRequestError.ConnectionError, "refused"), CommsFailure.Retry },
        { new HttpRequestException(HttpRequestError.NameResolutionError, "no such host"), CommsFailure.Retry },
        { new HttpRequestException(HttpRequestError.ResponseEnded, "cut"), CommsFailure.Ambiguous },
        { new TimeoutRejectedException(), CommsFailure.Ambiguous },
        { new IOException("reset"), CommsFailure.Ambiguous },
    };

    [Theory]
    [MemberData(nameof(Failures))]
    public void Classify_TellsNotSentFromMaybeSent(Exception exception, CommsFailure expected) =>
        Assert.Equal(expected, SendFailures.Classify(exception));
}
