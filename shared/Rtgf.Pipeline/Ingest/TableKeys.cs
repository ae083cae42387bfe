using System.Globalization;
using System.Text;

namespace Rtgf.Pipeline.Ingest;

/// <summary>
/// Makes any text a valid table key: the characters the Table service forbids in keys (<c>/ \ # ?</c>, control
/// characters) and <c>%</c> itself are percent-encoded, so distinct texts stay distinct keys.
/// </summary>
public static class TableKeys
{
    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.AsSpan().ContainsAny("/\\#?%") && !text.Any(char.IsControl))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (c is '/' or '\\' or '#' or '?' or '%' || char.IsControl(c))
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
}
