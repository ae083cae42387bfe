using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Rtgf.Pipeline.Comms;

namespace Rtgf.Functions.Comms;

/// <summary>
/// An email ready to send: the subject (one line), the plain-text body, the HTML body, and the template's extra headers
/// (only <c>List-Unsubscribe</c> and <c>List-Unsubscribe-Post</c>; empty for most templates).
/// </summary>
public sealed record RenderedEmail(string Subject, string Text, string Html)
{
    public IReadOnlyDictionary<string, string> Headers { get; init; } = new SortedDictionary<string, string>(StringComparer.Ordinal);
}

/// <summary>
/// The message templates (docs/spec/comms.md), files in <c>Comms/Templates</c> next to the app: <c>{name}.txt</c> (first line
/// <c>Subject: …</c>, optionally the header lines <c>List-Unsubscribe: &lt;{{…}}&gt;</c> and
/// <c>List-Unsubscribe-Post: List-Unsubscribe=One-Click</c>, one blank line, then the plain-text body) with
/// <c>{name}.html</c> for email, <c>{name}.sms.txt</c> for SMS. Only those two headers exist (a template never sets From,
/// To, Reply-To or Bcc); their values are filled like the subject, and List-Unsubscribe must be one <c>&lt;https://…&gt;</c>
/// (<c>http://localhost</c> for local runs). Placeholders are <c>{{name}}</c> (letters, digits, <c>-</c>), filled from the request's values, HTML-encoded in
/// HTML. A template that is missing or malformed, a placeholder without a value, and a value with a line break or other
/// control character in the subject (header injection) are <see cref="CommsTemplateException"/>s: the message is never
/// sent half-filled. Values the template does not use are ignored (one set of values may serve email and SMS).
/// </summary>
public sealed partial class CommsTemplates(string directory)
{
    public const string SubjectPrefix = "Subject: ";
    public const string ListUnsubscribe = "List-Unsubscribe";
    public const string ListUnsubscribePost = "List-Unsubscribe-Post";

    /// <summary>RFC 8058's one value: the one-click unsubscribe POST.</summary>
    public const string OneClick = "List-Unsubscribe=One-Click";

    private readonly ConcurrentDictionary<string, Lazy<Parsed>> _cache = new(StringComparer.Ordinal);

    /// <summary>The templates shipped with the app (copied to its output).</summary>
    public static CommsTemplates ShippedWithApp() => new(Path.Combine(AppContext.BaseDirectory, "Comms", "Templates"));

    public string Directory => directory;

    public RenderedEmail RenderEmail(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        var parsed = Load(template, CommsChannel.Email);
        var subject = Fill(template, parsed.Subject!, values, Encoding.Subject);
        var headers = new SortedDictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in parsed.Headers)
        {
            headers[name] = Fill(template, value, values, Encoding.Subject);
        }

        if (headers.TryGetValue(ListUnsubscribe, out var unsubscribe) && !IsUnsubscribeUrl(unsubscribe))
        {
            throw new CommsTemplateException($"The {ListUnsubscribe} header of template {template} must be one <https://…> URL (http only for localhost): refused.");
        }

        return new RenderedEmail(subject, Fill(template, parsed.Text, values, Encoding.None), Fill(template, parsed.Html!, values, Encoding.Html)) { Headers = headers };
    }

    public string RenderSms(string template, IReadOnlyDictionary<string, string> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        return Fill(template, Load(template, CommsChannel.Sms).Text, values, Encoding.None);
    }

    /// <summary>Every template in the folder by name and channel (for the test that each one parses).</summary>
    public IReadOnlyList<(string Name, CommsChannel Channel)> List()
    {
        var found = new List<(string, CommsChannel)>();
        foreach (var path in System.IO.Directory.EnumerateFiles(directory))
        {
            var file = Path.GetFileName(path);
            if (file.EndsWith(".sms.txt", StringComparison.Ordinal))
            {
                found.Add((file[..^".sms.txt".Length], CommsChannel.Sms));
            }
            else if (file.EndsWith(".txt", StringComparison.Ordinal))
            {
                found.Add((file[..^".txt".Length], CommsChannel.Email));
            }
        }

        return [.. found.OrderBy(f => f.Item1, StringComparer.Ordinal).ThenBy(f => f.Item2)];
    }

    /// <summary>The placeholders a template uses, in order of first use (subject, text, HTML).</summary>
    public IReadOnlyList<string> Placeholders(string template, CommsChannel channel)
    {
        var parsed = Load(template, channel);
        return [.. new[] { parsed.Subject }.Concat(parsed.Headers.Select(h => h.Value)).Concat([parsed.Text, parsed.Html]).OfType<string>().SelectMany(t => Placeholder().Matches(t).Select(m => m.Groups[1].Value)).Distinct(StringComparer.Ordinal)];
    }

    private Parsed Load(string template, CommsChannel channel)
    {
        if (!TemplateName().IsMatch(template))
        {
            throw new CommsTemplateException($"'{Printable(template)}' is not a template name (kebab-case: lower-case letters, digits and single dashes).");
        }

        return _cache.GetOrAdd(channel + ":" + template, _ => new Lazy<Parsed>(() => Parse(template, channel), LazyThreadSafetyMode.PublicationOnly)).Value; // a failure is not cached: a template fixed on disk is read again
    }

    private Parsed Parse(string template, CommsChannel channel)
    {
        if (channel == CommsChannel.Sms)
        {
            var sms = Read(template + ".sms.txt", template, channel).TrimEnd('\r', '\n');
            Check(template + ".sms.txt", sms);
            return new Parsed(null, [], sms, null);
        }

        var text = Read(template + ".txt", template, channel).Replace("\r\n", "\n", StringComparison.Ordinal);
        var blank = text.IndexOf("\n\n", StringComparison.Ordinal);
        if (!text.StartsWith(SubjectPrefix, StringComparison.Ordinal) || blank < 0)
        {
            throw new CommsTemplateException($"Template {template}.txt must start with a '{SubjectPrefix}…' line, then one blank line, then the body.");
        }

        var head = text[..blank].Split('\n');
        var subject = head[0][SubjectPrefix.Length..].Trim();
        var headers = new List<(string, string)>();
        foreach (var line in head.Skip(1))
        {
            var colon = line.IndexOf(": ", StringComparison.Ordinal);
            var name = colon > 0 ? line[..colon] : line;
            var value = colon > 0 ? line[(colon + 2)..].Trim() : string.Empty;
            if (name is not (ListUnsubscribe or ListUnsubscribePost) || headers.Any(h => h.Item1 == name))
            {
                throw new CommsTemplateException($"Template {template}.txt has the header line '{Printable(line)}': only {ListUnsubscribe} and {ListUnsubscribePost} (once each) may follow the subject, then one blank line.");
            }

            if (name == ListUnsubscribePost && value != OneClick)
            {
                throw new CommsTemplateException($"Template {template}.txt: {ListUnsubscribePost} is '{OneClick}', nothing else.");
            }

            if (name == ListUnsubscribe && !(value.StartsWith('<') && value.EndsWith('>')))
            {
                throw new CommsTemplateException($"Template {template}.txt: {ListUnsubscribe} is one URL in angle brackets, <{{{{unsubscribe-url}}}}>.");
            }

            headers.Add((name, value));
        }

        if (headers.Any(h => h.Item1 == ListUnsubscribePost) && headers.All(h => h.Item1 != ListUnsubscribe))
        {
            throw new CommsTemplateException($"Template {template}.txt has {ListUnsubscribePost} without {ListUnsubscribe}.");
        }

        var body = text[(blank + 2)..].TrimEnd('\n');
        var html = Read(template + ".html", template, channel);
        if (subject.Length == 0 || body.Length == 0 || html.Trim().Length == 0)
        {
            throw new CommsTemplateException($"Template {template} has an empty subject, text or HTML part.");
        }

        Check(template + ".txt", text);
        Check(template + ".html", html);
        return new Parsed(subject, headers, body, html);
    }

    private string Read(string file, string template, CommsChannel channel)
    {
        var path = Path.Combine(directory, file);
        return File.Exists(path)
            ? File.ReadAllText(path, System.Text.Encoding.UTF8)
            : throw new CommsTemplateException($"There is no {channel.ToString().ToUpperInvariant()} template '{template}' ({file} is missing).");
    }

    /// <summary>Every <c>{{…}}</c> must be a placeholder name; a stray <c>{{</c> or <c>}}</c> is a typo, not text to send.</summary>
    private static void Check(string file, string text)
    {
        foreach (Match match in Braces().Matches(text))
        {
            if (!PlaceholderName().IsMatch(match.Groups[1].Value))
            {
                throw new CommsTemplateException($"Template {file} has a malformed placeholder '{Printable(match.Value)}' (use {{{{name}}}} with letters, digits and '-').");
            }
        }

        var outside = Braces().Replace(text, string.Empty);
        if (outside.Contains("{{", StringComparison.Ordinal) || outside.Contains("}}", StringComparison.Ordinal))
        {
            throw new CommsTemplateException($"Template {file} has an unclosed '{{{{' or a stray '}}}}'.");
        }
    }

    private static string Fill(string template, string text, IReadOnlyDictionary<string, string> values, Encoding encoding) =>
        Placeholder().Replace(text, match =>
        {
            var name = match.Groups[1].Value;
            if (!values.TryGetValue(name, out var value) || value is null)
            {
                throw new CommsTemplateException($"Template {template} needs the value '{name}', which the request does not give.");
            }

            return encoding switch
            {
                Encoding.Html => WebUtility.HtmlEncode(value),
                Encoding.Subject when value.Any(c => char.IsControl(c) || c is '\u2028' or '\u2029') =>
                    throw new CommsTemplateException($"The value '{name}' of template {template} goes into a header and has a line break or another control character: refused (header injection)."),
                _ => value,
            };
        });

    /// <summary>Template text quoted in an error: control characters shown as escapes, at most 60 characters.</summary>
    private static string Printable(string text)
    {
        var builder = new StringBuilder();
        foreach (var c in text.Take(60))
        {
            builder.Append(char.IsControl(c) ? string.Create(CultureInfo.InvariantCulture, $"\\u{(int)c:x4}") : c.ToString());
        }

        return builder.ToString();
    }

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex TemplateName();

    [GeneratedRegex(@"\{\{([A-Za-z0-9-]+)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"\{\{([^{}]*)\}\}", RegexOptions.CultureInvariant)]
    private static partial Regex Braces();

    [GeneratedRegex("^[A-Za-z0-9-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex PlaceholderName();

    private enum Encoding
    {
        None,
        Subject,
        Html,
    }

    /// <summary><c>&lt;https://…&gt;</c> (or <c>&lt;http://localhost…&gt;</c>): one absolute URL, no spaces, no second entry.</summary>
    private static bool IsUnsubscribeUrl(string header) =>
        header.Length > 2 && header[0] == '<' && header[^1] == '>' && header[1..^1] is var url
        && !url.Any(c => char.IsWhiteSpace(c) || c is '<' or '>' or ',')
        && Uri.TryCreate(url, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttps || (uri.Scheme == Uri.UriSchemeHttp && uri.IsLoopback));

    private sealed record Parsed(string? Subject, IReadOnlyList<(string Name, string Value)> Headers, string Text, string? Html);
}

/// <summary>A template that cannot produce this message: missing, malformed, a value missing or unsafe. Retrying never helps.</summary>
public sealed class CommsTemplateException : Exception
{
    public CommsTemplateException()
    {
    }

    public CommsTemplateException(string message)
        : base(message)
    {
    }

    public CommsTemplateException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
