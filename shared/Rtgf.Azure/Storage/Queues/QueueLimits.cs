using System.Globalization;
using System.Text.RegularExpressions;

namespace Rtgf.Azure.Storage.Queues;

/// <summary>Queue service rules, checked before a request is sent.</summary>
public static partial class QueueLimits
{
    /// <summary>Largest message text on the wire (after encoding).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Messages per receive or peek.</summary>
    public const int MaxMessagesPerReceive = 32;

    /// <summary>Longest visibility timeout.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    public static void ValidateQueueName(string queueName)
    {
        ArgumentNullException.ThrowIfNull(queueName);
        if (!QueueNamePattern().IsMatch(queueName))
        {
            throw new ArgumentException(
                $"Queue name '{queueName}' is invalid: use 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit.",
                nameof(queueName));
        }
    }

    internal static void ValidateVisibility(TimeSpan? timeout, string parameterName, bool allowZero = true)
    {
        if (timeout is { } t && (t < TimeSpan.Zero || t > MaxVisibilityTimeout || (!allowZero && t == TimeSpan.Zero)))
        {
            throw new ArgumentOutOfRangeException(parameterName, t, allowZero ? "Visibility timeouts run from 0 to 7 days." : "Visibility timeouts run from 1 second to 7 days.");
        }
    }

    internal static void ValidateCount(int? count, string parameterName)
    {
        if (count is < 1 or > MaxMessagesPerReceive)
        {
            throw new ArgumentOutOfRangeException(parameterName, count, string.Create(CultureInfo.InvariantCulture, $"Receive and peek take 1 to {MaxMessagesPerReceive} messages."));
        }
    }

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueNamePattern();
}
