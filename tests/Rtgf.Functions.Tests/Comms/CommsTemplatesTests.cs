using Rtgf.Functions.Comms;
using Rtgf.Pipeline.Comms;

namespace Rtgf.Functions.Tests.Comms;

/// <summary>The template files and their renderer (docs/spec/comms.md): every shipped template renders; bad ones and bad values are refused.</summary>
public sealed class CommsTemplatesTests : IDisposable
{
    private readonly DirectoryInfo _directory = Directory.CreateTempSubdirectory("rtgf-templates-");

    [Fact]
    public void EveryShippedTemplate_ParsesAndRenders_WithAValueForEachPlaceholder()
    {
        var templates = CommsTemplates.ShippedWithApp();

        var found = templates.List();

        Assert.Contains(("delivery-check", CommsChannel.Email), found);
        Assert.Contains(("delivery-check", CommsChannel.Sms), found);
        Assert.All(found, t =>
        {
            var names = templates.Placeholders(t.Name, t.Channel);
            var values = names.ToDictionary(n => n, n => n.EndsWith("-url", StringComparison.Ordinal) ? "https://rtgf.test/" + n + "?a=1&b=2" : "<" + n + " & value>", StringComparer.Ordinal);
            if (t.Channel == CommsChannel.Email)
            {
                var email = templates.RenderEmail(t.Name, values);
                Assert.DoesNotContain("{{", email.Subject + email.Text + email.Html + string.Concat(email.Headers.Values), StringComparison.Ordinal);
                Assert.DoesNotContain(" & value>", email.Html, StringComparison.Ordinal); // values are HTML-encoded in the HTML part
                Assert.DoesNotContain("?a=1&b=2", email.Html, StringComparison.Ordinal); // a URL's & too
            }
            else
            {
                Assert.DoesNotContain("{{", templates.RenderSms(t.Name, values), StringComparison.Ordinal);
            }

            var missing = names.Count == 0 ? null : Assert.Throws<CommsTemplateException>(() => Render(templates, t.Name, t.Channel, values.Skip(1).ToDictionary(StringComparer.Ordinal)));
            Assert.True(names.Count == 0 || missing!.Message.Contains(names[0], StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Email_FillsSubjectAndText_AndHtmlEncodesTheHtml()
    {
        Write("hello.txt", "Subject: Hi {{name}}\n\nDear {{name}},\nyour code is {{code}}.\n");
        Write("hello.html", "<p>Dear {{name}}, code <b>{{code}}</b></p>");

        var email = new CommsTemplates(_directory.FullName).RenderEmail("hello", Values(("name", "O'Brien & <Sons>"), ("code", "42"), ("unused", "ignored")));

        Assert.Equal("Hi O'Brien & <Sons>", email.Subject);
        Assert.Equal("Dear O'Brien & <Sons>,\nyour code is 42.", email.Text);
        Assert.Equal("<p>Dear O&#39;Brien &amp; &lt;Sons&gt;, code <b>42</b></p>", email.Html);
    }

    [Theory]
    [InlineData("Evil\r\nBcc: victim@example.org")]
    [InlineData("Evil\nBcc: victim@example.org")]
    [InlineData("Evil\u0085Next line")]
    [InlineData("Evil\u2028Line separator")]
    [InlineData("Evil\u2029Paragraph separator")]
    public void ValueWithALineBreakInTheSubject_IsRefused_ButIsFineInTheBody(string value)
    {
        Write("greet.txt", "Subject: Hello {{name}}\n\nBody {{body}}");
        Write("greet.html", "<p>{{body}}</p>");
        var templates = new CommsTemplates(_directory.FullName);

        var refused = Assert.Throws<CommsTemplateException>(() => templates.RenderEmail("greet", Values(("name", value), ("body", "x"))));
        var fine = templates.RenderEmail("greet", Values(("name", "Ada"), ("body", value)));

        Assert.Contains("header injection", refused.Message, StringComparison.Ordinal);
        Assert.Equal("Hello Ada", fine.Subject);
    }

    [Theory]
    [InlineData("Subject: Hi\n\nHello {{ name }}", "malformed placeholder")]
    [InlineData("Subject: Hi\n\nHello {{na.me}}", "malformed placeholder")]
    [InlineData("Subject: Hi\n\nHello {{name", "unclosed")]
    [InlineData("Subject: Hi\nHello {{name}}", "must start with")]
    [InlineData("Hello {{name}}", "must start with")]
    [InlineData("Subject: \n\nHello", "empty subject")]
    [InlineData("Subject: Hi\nBcc: victim@example.org\n\nHello", "only List-Unsubscribe and List-Unsubscribe-Post")]
    [InlineData("Subject: Hi\nReply-To: <{{name}}>\n\nHello", "only List-Unsubscribe and List-Unsubscribe-Post")]
    [InlineData("Subject: Hi\nList-Unsubscribe: <{{url}}>\nList-Unsubscribe: <{{url}}>\n\nHello", "once each")]
    [InlineData("Subject: Hi\nList-Unsubscribe: {{url}}\n\nHello", "angle brackets")]
    [InlineData("Subject: Hi\nList-Unsubscribe: <{{url}}>\nList-Unsubscribe-Post: yes\n\nHello", "List-Unsubscribe=One-Click")]
    [InlineData("Subject: Hi\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n\nHello", "without List-Unsubscribe")]
    public void MalformedTemplate_IsRefusedWithItsProblem(string text, string problem)
    {
        Write("bad.txt", text);
        Write("bad.html", "<p>x</p>");

        var refused = Assert.Throws<CommsTemplateException>(() => new CommsTemplates(_directory.FullName).RenderEmail("bad", Values(("name", "Ada"), ("url", "https://rtgf.test/u"))));

        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("../secrets")]
    [InlineData("Upper")]
    [InlineData("no-such-template")]
    [InlineData("")]
    public void UnknownOrUnsafeTemplateNames_AreRefused(string name)
    {
        var refused = Assert.Throws<CommsTemplateException>(() => CommsTemplates.ShippedWithApp().RenderSms(name, Values()));

        Assert.Matches("is not a template name|There is no SMS template", refused.Message);
    }

    [Fact]
    public void Sms_MissingValue_IsRefused_AndAnEmailWithoutItsHtmlPart_IsToo()
    {
        Write("code.sms.txt", "Your code is {{code}}\n");
        Write("nohtml.txt", "Subject: Hi\n\nHello");
        var templates = new CommsTemplates(_directory.FullName);

        var missing = Assert.Throws<CommsTemplateException>(() => templates.RenderSms("code", Values(("other", "1"))));
        var noHtml = Assert.Throws<CommsTemplateException>(() => templates.RenderEmail("nohtml", Values()));

        Assert.Equal("Your code is 7", templates.RenderSms("code", Values(("code", "7"))));
        Assert.Equal("Template code needs the value 'code', which the request does not give.", missing.Message);
        Assert.Contains("nohtml.html is missing", noHtml.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://rtgf.test/v1/waitlist/unsubscribe?token=a", true)]
    [InlineData("http://localhost:7071/v1/waitlist/unsubscribe?token=a", true)]
    [InlineData("http://127.0.0.1:7071/u", true)]
    [InlineData("http://rtgf.test/u", false)]
    [InlineData("mailto:unsubscribe@rtgf.test", false)]
    [InlineData("https://rtgf.test/u>, <https://evil.test/u", false)]
    [InlineData("https://rtgf.test/u\r\nBcc: victim@example.org", false)]
    [InlineData("/relative", false)]
    public void ListUnsubscribe_IsOneHttpsUrl_OrLocalhost(string url, bool accepted)
    {
        Write("news.txt", "Subject: News\nList-Unsubscribe: <{{unsubscribe-url}}>\nList-Unsubscribe-Post: List-Unsubscribe=One-Click\n\nHello");
        Write("news.html", "<p>Hello</p>");
        var templates = new CommsTemplates(_directory.FullName);

        var rendered = Record.Exception(() => templates.RenderEmail("news", Values(("unsubscribe-url", url))));

        Assert.Equal(accepted, rendered is null);
        if (accepted)
        {
            var email = templates.RenderEmail("news", Values(("unsubscribe-url", url)));
            Assert.Equal("<" + url + ">", email.Headers["List-Unsubscribe"]);
            Assert.Equal("List-Unsubscribe=One-Click", email.Headers["List-Unsubscribe-Post"]);
            Assert.Equal("Hello", email.Text);
        }
    }

    [Fact]
    public void ShippedWaitlistConfirm_HasTheOneClickHeaders_FromTheUnsubscribeUrl()
    {
        var email = CommsTemplates.ShippedWithApp().RenderEmail("waitlist-confirm", Values(("confirm-url", "https://rtgf.test/c"), ("expires-minutes", "15"), ("unsubscribe-url", "https://rtgf.test/u")));

        Assert.Equal(["List-Unsubscribe", "List-Unsubscribe-Post"], email.Headers.Keys);
        Assert.Equal("<https://rtgf.test/u>", email.Headers["List-Unsubscribe"]);
        Assert.StartsWith("Hello,", email.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void ATemplateThatFailedToLoad_IsReadAgainOnceFixed()
    {
        var templates = new CommsTemplates(_directory.FullName);
        var missing = Assert.Throws<CommsTemplateException>(() => templates.RenderSms("late", Values()));
        Write("late.sms.txt", "Here now");

        Assert.Contains("late.sms.txt is missing", missing.Message, StringComparison.Ordinal);
        Assert.Equal("Here now", templates.RenderSms("late", Values())); // the failure was not cached
    }

    public void Dispose() => _directory.Delete(recursive: true);

    private static void Render(CommsTemplates templates, string name, CommsChannel channel, IReadOnlyDictionary<string, string> values)
    {
        if (channel == CommsChannel.Email)
        {
            templates.RenderEmail(name, values);
        }
        else
        {
            templates.RenderSms(name, values);
        }
    }

    private static Dictionary<string, string> Values(params (string Name, string Value)[] values) => values.ToDictionary(v => v.Name, v => v.Value, StringComparer.Ordinal);

    private void Write(string file, string text) => File.WriteAllText(Path.Combine(_directory.FullName, file), text);
}
