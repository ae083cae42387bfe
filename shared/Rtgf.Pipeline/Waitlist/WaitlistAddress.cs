using System.Globalization;

namespace Rtgf.Pipeline.Waitlist;

/// <summary>
/// The waitlist's email addresses: what it accepts and the one spelling it stores and counts by. Accepted: a dot-atom
/// local part (RFC 5322 atext, no quoted strings, no comments) of at most 64 characters, '@', and a domain of at least
/// two labels (letters, digits, '-'; an internationalised domain is stored as its ASCII, IDNA form), at most 254 in all.
/// Normalised: trimmed, and lower-cased whole. The domain is case-insensitive by definition; the local part is
/// case-sensitive in RFC 5321, but no mailbox provider we would send to treats it so, and keeping its case would make
/// Alice@ and alice@ two leads, each with its own resend limit (a way round the per-address limit). Dots and <c>+tags</c>
/// are kept in the stored address (folding them is one provider's rule, not the address's), but the per-address limit
/// counts by <see cref="Mailbox"/>, where they are folded: variants of one mailbox share its limit.
/// </summary>
public static class WaitlistAddress
{
    public const int MaxLength = 254;
    public const int MaxLocalLength = 64;

    private const string Atext = "!#$%&'*+-/=?^_`{|}~";

    /// <summary>The normalised address, or null and why the input is not one we accept.</summary>
    public static string? Normalise(string input, out string problem)
    {
        ArgumentNullException.ThrowIfNull(input);
        problem = string.Empty;
        var text = input.Trim();
        if (text.Length is 0 or > MaxLength || text.Any(c => char.IsControl(c) || char.IsWhiteSpace(c)))
        {
            problem = $"'email' must be an address of 1 to {MaxLength} characters without spaces or control characters.";
            return null;
        }

        var at = text.LastIndexOf('@');
        if (at <= 0 || at == text.Length - 1 || text.IndexOf('@') != at)
        {
            problem = "'email' must be one address: local-part@domain.";
            return null;
        }

        var local = text[..at];
        if (local.Length > MaxLocalLength || !IsDotAtom(local))
        {
            problem = $"'email' has a local part we do not accept: at most {MaxLocalLength} letters, digits, dots (not first, last or doubled) and {Atext}.";
            return null;
        }

        string domain;
        try
        {
            domain = new IdnMapping { UseStd3AsciiRules = true }.GetAscii(text[(at + 1)..]);
        }
        catch (ArgumentException)
        {
            problem = "'email' has a domain that is not a host name.";
            return null;
        }

        var labels = domain.TrimEnd('.').Split('.');
        if (labels.Length < 2 || labels.Any(l => l.Length is 0 or > 63 || l[0] == '-' || l[^1] == '-' || !l.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')))
        {
            problem = "'email' must have a domain of at least two labels (letters, digits and '-'), such as example.org.";
            return null;
        }

        var address = (local + "@" + string.Join('.', labels)).ToLowerInvariant();
        if (address.Length > MaxLength)
        {
            problem = $"'email' is longer than {MaxLength} characters once its domain is in ASCII form.";
            return null;
        }

        return address;
    }

    /// <summary>
    /// The mailbox a normalised address delivers to, as the per-address limit counts it: the <c>+tag</c> dropped (most
    /// providers deliver <c>ada+x@</c> to <c>ada@</c>), and for Gmail (<c>gmail.com</c>, <c>googlemail.com</c>) the dots
    /// folded and the domain made one. Over-folding at some provider only makes two mailboxes share a limit.
    /// </summary>
    public static string Mailbox(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        var at = address.LastIndexOf('@');
        var local = address[..at];
        var domain = Domain(address);
        if (local.IndexOf('+', StringComparison.Ordinal) is > 0 and var plus)
        {
            local = local[..plus];
        }

        if (domain is "gmail.com" or "googlemail.com")
        {
            local = local.Replace(".", string.Empty, StringComparison.Ordinal);
            domain = "gmail.com";
        }

        return local + "@" + domain;
    }

    /// <summary>The domain of a normalised address (its ASCII form, lower case).</summary>
    public static string Domain(string address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address[(address.LastIndexOf('@') + 1)..];
    }

    private static bool IsDotAtom(string local) =>
        local[0] != '.' && local[^1] != '.' && !local.Contains("..", StringComparison.Ordinal)
        && local.All(c => char.IsAsciiLetterOrDigit(c) || c == '.' || Atext.Contains(c, StringComparison.Ordinal));
}
