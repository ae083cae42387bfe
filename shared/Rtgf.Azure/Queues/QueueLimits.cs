using System.Globalization;
using System.Text.RegularExpressions;

namespace Rtgf.Azure.Queues;

/// <summary>Queue service rules, checked before a request is sent.</summary>
public static partial class QueueLimits
{
    /// <summary>Largest message text on the wire (after encoding).</summary>
    public const int MaxMessageBytes = 64 * 1024;

    /// <summary>Longest visibility timeout.</summary>
    public static readonly TimeSpan MaxVisibilityTimeout = TimeSpan.FromDays(7);

    /// <summary>Throws when <paramref name="message"/>, Base64-encoded as the queue trigger reads it, exceeds the service's limit.</summary>
    public static void ValidateBase64Message(string message)
    {
        ArgumentNullException.ThrowIfNull(message);
        var encoded = ((System.Text.Encoding.UTF8.GetByteCount(message) + 2) / 3) * 4L;
        if (encoded > MaxMessageBytes)
        {
            throw new ArgumentException(
                string.Create(CultureInfo.InvariantCulture, $"The message is {encoded:N0} bytes once Base64-encoded; queue messages hold at most {MaxMessageBytes:N0} (64 KiB)."),
                nameof(message));
        }
    }

    /// <summary>Throws when <paramref name="delay"/> is not a visibility timeout the service accepts (0 to 7 days).</summary>
    public static void ValidateDelay(TimeSpan delay)
    {
        if (delay < TimeSpan.Zero || delay > MaxVisibilityTimeout)
        {
            throw new ArgumentOutOfRangeException(nameof(delay), delay, "A queue message's initial visibility delay runs from 0 to 7 days.");
        }
    }

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

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$", RegexOptions.CultureInvariant)]
    private static partial Regex QueueNamePattern();
}
