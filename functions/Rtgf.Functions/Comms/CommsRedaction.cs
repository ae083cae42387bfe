using System.Text.RegularExpressions;

namespace Rtgf.Functions.Comms;

/// <summary>Recipients as logs and stored errors show them: enough to tell them apart, never the whole address or number.</summary>
public static partial class CommsRedaction
{
    /// <summary><c>j***@example.com</c> for an address, <c>+********678</c> for a number (at most its last 3 digits).</summary>
    public static string Mask(string recipient)
    {
        ArgumentNullException.ThrowIfNull(recipient);
        var at = recipient.LastIndexOf('@');
        if (at > 0)
        {
            var open = recipient.LastIndexOf('<');
            var local = recipient[(open >= 0 && open < at ? open + 1 : 0)..at].Trim();
            var domain = recipient[(at + 1)..].TrimEnd('>').Trim();
            return (local.Length > 0 ? local[..1] : string.Empty) + "***@" + domain;
        }

        return recipient.Length <= 6 ? new string('*', recipient.Length) : (recipient.StartsWith('+') ? "+" : string.Empty) + new string('*', recipient.TrimStart('+').Length - 3) + recipient[^3..];
    }

    /// <summary>Provider text with every run of digits long enough to be a phone number (spaces and dashes allowed) masked but its last 3 digits.</summary>
    public static string MaskDigits(string text) => DigitRun().Replace(text ?? string.Empty, m =>
    {
        var digits = m.Value.Count(char.IsAsciiDigit);
        var seen = 0;
        return new string([.. m.Value.Select(c => char.IsAsciiDigit(c) && ++seen <= digits - 3 ? '*' : c)]);
    });

    [GeneratedRegex(@"\d(?:[\s-]?\d){5,}", RegexOptions.CultureInvariant)]
    private static partial Regex DigitRun();

    /// <summary>Provider text with every email address in it masked (Resend's messages may quote one).</summary>
    public static string MaskAddresses(string text) => Address().Replace(text ?? string.Empty, m => Mask(m.Value));

    [GeneratedRegex(@"[^\s<>""'`(),;:]+@[^\s<>""'`(),;:]+", RegexOptions.CultureInvariant)]
    private static partial Regex Address();
}
