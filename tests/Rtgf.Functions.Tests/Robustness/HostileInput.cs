using System.Text;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Robustness;

/// <summary>
/// The generated tests' hostile values, in one place: numbers out of every range, unicode that breaks naive code, injection
/// strings for every query language we might be mistaken for, and percent-encodings that do not decode to UTF-8. Picks
/// come from <see cref="SeededRandom"/>, seeded per request, so a run sends the same requests in any order.
/// </summary>
internal static class HostileInput
{
    /// <summary>Values for a numeric parameter: out of range, negative, huge, not numbers, empty.</summary>
    public static readonly string[] Numbers =
    [
        "", " ", "0", "-0", "-1", "1", "500", "501", "2147483647", "2147483648", "-2147483649", "99999999999999999999", "1e3", "1.5",
        "0x10", "+5", " 5", "5 ", "١٢", "５", "NaN", "Infinity", "true", "null", "[]", "1,2", "0005", "1_000",
    ];

    /// <summary>Strings in every odd shape: unicode (RTL, NUL, emoji, combining marks, lone surrogates), control characters, long.</summary>
    public static readonly string[] Unicode =
    [
        "ÄÖÜ", "日本語", "🦘🦘", "👩🏽‍🔬", "\u202Eevil\u202C", "\u200F\u05D0\u05D1", "a\u0000b", "\u0000", "e\u0301\u0301\u0301", "\uFEFFbom",
        "\uD800", "\uDC00x", "\uFFFF", "\uFFFD", "\t", "\r\n", "\u0085", "\u2028", "ǅ", "İı", "ß", "ﬃ", new string('\u0301', 300),
        string.Concat(Enumerable.Repeat("🦘", 600)), "Ω≈ç√∫", "\u0008\u001B[31m",
    ];

    /// <summary>Injection strings: Lucene syntax, SQL, XPath, JSON, templates, paths, and long texts.</summary>
    public static readonly string[] Injections =
    [
        "*:*", "*", "?", "~", "^", "\"", "\\", "a~", "a~2", "a^3", "a^", "\"unterminated", "\\\\\\", "OR", "AND", "NOT", "a OR", "AND b", "NOT NOT",
        "(", ")", "((((((((((a", "[a TO z]", "{a TO z}", "[* TO *]", "[a TO", "}", "title:(a OR b)~2^3", "code:10010", "+a -b", "a && b || c", "!a",
        "/regex.*/", "/", "a*b?c", "*a", "a:b:c", ":", "field:", "_id:1", "\"a b\"~10000", "a^-1", "a^1e9", "1e9999", "a~0.5", "a~-1",
        "' OR 1=1 --", "\"; DROP TABLE rtos; --", "1; WAITFOR DELAY '0:0:5'", "' UNION SELECT * FROM apikeys --", "//*[name()='x']", "' or '1'='1",
        "{\"$gt\":\"\"}", "{\"q\":[1,2]}", "]}", "<script>alert(1)</script>", "${jndi:ldap://x}", "{{7*7}}", "../../etc/passwd", "%s%s%n",
        new string('a', 200), new string('a', 201), new string('x', 10_240), string.Concat(Enumerable.Repeat("a OR ", 2000)),
        string.Concat(Enumerable.Repeat("(", 5000)), string.Concat(Enumerable.Repeat("a~ ", 3000)), string.Concat(Enumerable.Repeat("\"", 4000)),
    ];

    /// <summary>Percent-encodings that are not UTF-8 (overlong, truncated, surrogates, lone bytes) and encoded separators.</summary>
    public static readonly string[] RawEncodings =
    [
        "%FF", "%C3%28", "%C0%AF", "%E0%80%AF", "%ED%A0%80", "%F4%90%80%80", "%E2%82", "%00", "%", "%%", "%G1", "%2F", "%2e%2e", "..%2F..%2F",
        "%5C", "%3F", "%23", "%0D%0A", "%u0041", "%C3", "%F0%9F%A6", "a%00b", "%EF%BB%BF",
    ];

    public static T Pick<T>(this SeededRandom random, IReadOnlyList<T> from) => from[random.Next(0, from.Count)];

    public static bool Chance(this SeededRandom random, int percent) => random.Next(0, 100) < percent;

    /// <summary>Any hostile string value (escaped for a URL by the caller).</summary>
    public static string AnyValue(SeededRandom random) => random.Next(0, 3) switch
    {
        0 => random.Pick(Numbers),
        1 => random.Pick(Unicode),
        _ => random.Pick(Injections),
    };

    /// <summary>A value escaped for a query string or path segment, or one of the raw non-UTF-8 encodings as is.</summary>
    public static string Escaped(SeededRandom random) => random.Chance(20) ? random.Pick(RawEncodings) : Escape(AnyValue(random));

    /// <summary>Escapes text for a URL, lone surrogates included (as their UTF-8-like bytes, which no decoder accepts).</summary>
    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length * 3);
        foreach (var b in Encoding.UTF8.GetBytes(text.Replace("\uD800", "\u0001", StringComparison.Ordinal).Replace("\uDC00", "\u0002", StringComparison.Ordinal)))
        {
            builder.Append(b switch
            {
                0x01 => "%ED%A0%80",
                0x02 => "%ED%B0%80",
                _ when char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'.' or (byte)'_' or (byte)'~' => ((char)b).ToString(),
                _ => "%" + b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture),
            });
        }

        return builder.ToString();
    }

    /// <summary>Bytes that are not UTF-8 at all (for bodies).</summary>
    public static byte[] NotUtf8(SeededRandom random) => [0xC3, 0x28, (byte)random.Next(0x80, 0x100), 0xFF, 0xFE, 0xED, 0xA0, 0x80];
}
