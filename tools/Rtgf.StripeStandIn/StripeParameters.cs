using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Rtgf.StripeStandIn;

/// <summary>
/// A request's parameters as Stripe reads them: form-encoded bodies and query strings with bracketed keys
/// (<c>line_items[0][price]</c>, <c>metadata[plan]</c>, <c>expand[]</c> or <c>expand[0]</c>).
/// </summary>
internal sealed partial class StripeParameters(IReadOnlyList<KeyValuePair<string, string>> pairs)
{
    public IReadOnlyList<KeyValuePair<string, string>> Pairs => pairs;

    public string? Get(string key)
    {
        foreach (var pair in pairs)
        {
            if (string.Equals(pair.Key, key, StringComparison.Ordinal))
            {
                return pair.Value;
            }
        }

        return null;
    }

    public string Required(string key) => Get(key) is { Length: > 0 } value ? value : throw StripeApiException.MissingParameter(key);

    public long? Integer(string key)
    {
        var text = Get(key);
        if (text is null)
        {
            return null;
        }

        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value)
            ? value
            : throw StripeApiException.Invalid(key, $"Invalid integer: {text}", "parameter_invalid_integer");
    }

    /// <summary>The values of a list parameter, <c>name[]</c> or <c>name[n]</c>, in order.</summary>
    public IReadOnlyList<string> List(string name)
    {
        var values = new List<string>();
        foreach (var pair in pairs)
        {
            if (pair.Key.StartsWith(name + "[", StringComparison.Ordinal) && ListIndex().IsMatch(pair.Key.AsSpan(name.Length)))
            {
                values.Add(pair.Value);
            }
        }

        return values;
    }

    /// <summary>A hash parameter's entries (<c>metadata[k]=v</c> under <paramref name="prefix"/> <c>metadata</c>); empty values unset, as in Stripe.</summary>
    public SortedDictionary<string, string> Map(string prefix)
    {
        var map = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var pair in pairs)
        {
            if (pair.Key.StartsWith(prefix + "[", StringComparison.Ordinal) && pair.Key.EndsWith(']'))
            {
                var key = pair.Key[(prefix.Length + 1)..^1];
                if (key.Contains('[', StringComparison.Ordinal) || key.Length == 0)
                {
                    throw StripeApiException.Invalid(pair.Key, $"Invalid hash key: {pair.Key}", "parameter_unknown");
                }

                if (pair.Value.Length == 0)
                {
                    map.Remove(key);
                }
                else
                {
                    map[key] = pair.Value;
                }
            }
        }

        return map;
    }

    /// <summary>The indexes of an array of hashes (<c>line_items[0][price]</c> → 0), ascending.</summary>
    public IReadOnlyList<int> Indexes(string name)
    {
        var indexes = new SortedSet<int>();
        foreach (var pair in pairs)
        {
            if (pair.Key.StartsWith(name + "[", StringComparison.Ordinal))
            {
                var close = pair.Key.IndexOf(']', name.Length);
                if (close > name.Length + 1 && int.TryParse(pair.Key.AsSpan(name.Length + 1, close - name.Length - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var index))
                {
                    indexes.Add(index);
                }
            }
        }

        return [.. indexes];
    }

    /// <summary>The parameters in a canonical order: two requests with the same fingerprint asked for the same thing.</summary>
    public string Fingerprint()
    {
        var text = new StringBuilder();
        foreach (var pair in pairs.OrderBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Value, StringComparer.Ordinal))
        {
            text.Append(pair.Key).Append('=').Append(pair.Value).Append('&');
        }

        return text.ToString();
    }

    [GeneratedRegex(@"^\[\d*\]$")]
    private static partial Regex ListIndex();
}
