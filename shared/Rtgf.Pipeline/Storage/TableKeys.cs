using System.Globalization;
using System.Text;

namespace Rtgf.Pipeline.Storage;

/// <summary>
/// The one key escaper of the row stores (docs/spec/storage.md): the characters Table storage forbids in keys
/// (<c>/ \ # ?</c>, control characters) and <c>%</c> itself become <c>%XX</c>, so any text is a valid key and distinct texts
/// stay distinct keys. Callers that build keys from request input check <see cref="Fits"/> first, so a long input is a
/// clear 400 rather than a storage error.
/// </summary>
public static class TableKeys
{
    /// <summary>Table storage keys hold 1 KiB of UTF-16.</summary>
    public const int MaxChars = 512;

    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NeedsEscape(text))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (IsEscaped(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    /// <summary>The text <see cref="Escape"/> was given.</summary>
    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            if (key[i] == '%' && i + 2 < key.Length
                && int.TryParse(key.AsSpan(i + 1, 2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code))
            {
                builder.Append((char)code);
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>The length of <paramref name="text"/> once escaped.</summary>
    public static int EscapedLength(ReadOnlySpan<char> text)
    {
        var length = 0;
        foreach (var c in text)
        {
            length += IsEscaped(c) ? 3 : 1;
        }

        return length;
    }

    /// <summary>Whether <paramref name="text"/>, escaped, is a key Table storage accepts.</summary>
    public static bool Fits(ReadOnlySpan<char> text) => EscapedLength(text) <= MaxChars;

    private static bool NeedsEscape(string text)
    {
        foreach (var c in text)
        {
            if (IsEscaped(c))
            {
                return true;
            }
        }

        return false;
    }

    private static bool IsEscaped(char c) => c is '%' or '/' or '\\' or '#' or '?' || char.IsControl(c);
}
