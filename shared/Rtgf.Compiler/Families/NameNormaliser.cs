using System.Text;

namespace Rtgf.Compiler.Families;

/// <summary>
/// The name form sanctions screening compares: upper case (invariant), every character that is not a letter or digit
/// becomes a space, ignored words (PTY, LTD, …) dropped, single spaces. Culture-free by construction.
/// </summary>
internal sealed class NameNormaliser(IReadOnlyList<string> ignoredWords)
{
    private readonly HashSet<string> _ignored = new(ignoredWords, StringComparer.Ordinal);

    /// <summary>The normalised name, or null when nothing is left (an empty name says nothing about a match).</summary>
    public string? Normalise(string? name)
    {
        if (string.IsNullOrWhiteSpace(name))
        {
            return null;
        }

        var upper = name.ToUpperInvariant();
        var builder = new StringBuilder(upper.Length);
        var start = 0;
        for (var i = 0; i <= upper.Length; i++)
        {
            if (i < upper.Length && char.IsLetterOrDigit(upper[i]))
            {
                continue;
            }

            var word = upper[start..i];
            if (word.Length > 0 && !_ignored.Contains(word))
            {
                builder.Append(builder.Length == 0 ? string.Empty : " ").Append(word);
            }

            start = i + 1;
        }

        return builder.Length == 0 ? null : builder.ToString();
    }

    /// <summary>An ABN as its 11 digits (spaces dropped), or null when it is not 11 digits.</summary>
    public static string? Abn(string? text)
    {
        if (text is null)
        {
            return null;
        }

        var digits = string.Concat(text.Where(c => c != ' '));
        return digits.Length == 11 && digits.All(char.IsAsciiDigit) ? digits : null;
    }

    /// <summary>11-digit numbers in free text, written with or without single spaces between digit groups (e.g. "51 824 753 556").</summary>
    public static IEnumerable<string> AbnsIn(string? text)
    {
        if (text is null)
        {
            yield break;
        }

        var digits = new StringBuilder();
        for (var i = 0; i <= text.Length; i++)
        {
            var c = i < text.Length ? text[i] : '\0';
            if (char.IsAsciiDigit(c))
            {
                digits.Append(c);
            }
            else if (c == ' ' && digits.Length > 0 && i + 1 < text.Length && char.IsAsciiDigit(text[i + 1]))
            {
                continue; // a space inside a grouped number
            }
            else
            {
                if (digits.Length == 11)
                {
                    yield return digits.ToString();
                }

                digits.Clear();
            }
        }
    }
}
