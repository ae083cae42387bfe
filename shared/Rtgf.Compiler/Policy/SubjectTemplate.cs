using System.Text;

namespace Rtgf.Compiler.Policy;

/// <summary>
/// A subject rule such as <c>rto:{code}</c>: literal text and named placeholders. Every placeholder the family defines
/// must appear (so subjects are unique within the family) and no other; checked when the matrix loads.
/// </summary>
public sealed class SubjectTemplate
{
    // Literal text when Index < 0, else the index of the family's placeholder.
    private readonly (string Literal, int Index)[] _parts;

    private SubjectTemplate(string text, (string Literal, int Index)[] parts)
    {
        Text = text;
        _parts = parts;
    }

    public string Text { get; }

    /// <summary>Parses <paramref name="text"/> against the placeholders a family defines, in their order.</summary>
    public static SubjectTemplate Parse(string family, string text, IReadOnlyList<string> placeholders)
    {
        var parts = new List<(string, int)>();
        var used = new bool[placeholders.Count];
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf('{', position);
            if (open < 0)
            {
                parts.Add((text[position..], -1));
                break;
            }

            if (open > position)
            {
                parts.Add((text[position..open], -1));
            }

            var close = text.IndexOf('}', open);
            if (close < 0)
            {
                throw new PolicyMatrixException($"family '{family}': subject rule '{text}' has an unclosed '{{'.");
            }

            var name = text[(open + 1)..close];
            var index = placeholders.ToList().IndexOf(name);
            if (index < 0)
            {
                throw new PolicyMatrixException(
                    $"family '{family}': subject rule '{text}' uses unknown placeholder '{{{name}}}' (known: {string.Join(", ", placeholders.Select(p => "{" + p + "}"))}).");
            }

            used[index] = true;
            parts.Add((string.Empty, index));
            position = close + 1;
        }

        if (parts.Exists(p => p.Item2 < 0 && p.Item1.Contains('}', StringComparison.Ordinal)))
        {
            throw new PolicyMatrixException($"family '{family}': subject rule '{text}' has a '}}' without '{{'.");
        }

        for (var i = 0; i < used.Length; i++)
        {
            if (!used[i])
            {
                throw new PolicyMatrixException(
                    $"family '{family}': subject rule '{text}' must use '{{{placeholders[i]}}}', or subjects would not be unique.");
            }
        }

        return new SubjectTemplate(text, [.. parts]);
    }

    /// <summary>The subject for the given placeholder values (in the family's placeholder order).</summary>
    public string Format(params ReadOnlySpan<string> values)
    {
        if (_parts.Length == 2 && _parts[0].Index < 0 && _parts[1].Index >= 0)
        {
            return string.Concat(_parts[0].Literal, values[_parts[1].Index]); // the common "prefix:{code}" shape, no builder
        }

        var builder = new StringBuilder();
        foreach (var (literal, index) in _parts)
        {
            builder.Append(index < 0 ? literal : values[index]);
        }

        return builder.ToString();
    }

    public override string ToString() => Text;
}
