using System.Globalization;
using System.Net;
using System.Text;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;

namespace Rtgf.UpstreamSimulator.Faults;

/// <summary>
/// Applies the fault board (or a one-request <c>X-Sim-Fault: mode</c> header) to every upstream route; the admin
/// routes under <c>/_sim</c> always behave.
/// </summary>
internal sealed partial class FaultMiddleware(RequestDelegate next, FaultBoard board, TimeProvider timeProvider)
{
    public const string Header = "X-Sim-Fault";
    private static readonly TimeSpan DefaultDelay = TimeSpan.FromSeconds(5);

    public async Task InvokeAsync(HttpContext context)
    {
        var path = context.Request.Path.Value ?? "/";
        if (path.StartsWith("/_sim", StringComparison.OrdinalIgnoreCase))
        {
            await next(context).ConfigureAwait(false);
            return;
        }

        FaultRule? rule;
        try
        {
            rule = context.Request.Headers.TryGetValue(Header, out var header) && header.Count > 0
                ? new FaultRule(path, FaultBoard.ParseMode(header.ToString()))
                : board.Take(path);
            if (rule is { Mode: FaultMode.Redirect or FaultMode.ForeignLinks, Target: null })
            {
                throw new SimulatorException($"Fault mode {rule.Mode} needs a target host: add it with POST /_sim/faults and 'target'.");
            }
        }
        catch (SimulatorException e)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(e.Message, context.RequestAborted).ConfigureAwait(false);
            return;
        }

        switch (rule?.Mode)
        {
            case null:
                await next(context).ConfigureAwait(false);
                return;
            case FaultMode.Slow:
                await Task.Delay(rule.Delay ?? DefaultDelay, timeProvider, context.RequestAborted).ConfigureAwait(false);
                await next(context).ConfigureAwait(false);
                return;
            case FaultMode.TooManyRequests:
            case FaultMode.Unavailable:
                context.Response.StatusCode = rule.Mode == FaultMode.TooManyRequests ? StatusCodes.Status429TooManyRequests : StatusCodes.Status503ServiceUnavailable;
                context.Response.Headers.RetryAfter = rule.RetryAfterSeconds.ToString(CultureInfo.InvariantCulture);
                await context.Response.WriteAsync(rule.Mode == FaultMode.TooManyRequests ? "Too many requests" : "Service unavailable", context.RequestAborted).ConfigureAwait(false);
                return;
            case FaultMode.ServerError:
                context.Response.StatusCode = StatusCodes.Status500InternalServerError;
                await context.Response.WriteAsync("Internal server error", context.RequestAborted).ConfigureAwait(false);
                return;
            case FaultMode.SchemaDrift:
                context.Features.Set(new SchemaDriftFeature());
                await next(context).ConfigureAwait(false);
                return;
            case FaultMode.Redirect:
                context.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
                context.Response.Headers.Location = new Uri(rule.Target!, path.TrimStart('/') + context.Request.QueryString).AbsoluteUri;
                return;
            case FaultMode.ForeignLinks:
                await ForeignLinksAsync(context, rule.Target!).ConfigureAwait(false);
                return;
            default:
                await RewriteAsync(context, rule.Mode).ConfigureAwait(false);
                return;
        }
    }

    /// <summary>Buffers the real response, then sends it cut short (truncated) or spoiled (malformed).</summary>
    private async Task RewriteAsync(HttpContext context, FaultMode mode)
    {
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        var bytes = buffer.ToArray();
        if (mode == FaultMode.Truncated)
        {
            context.Response.ContentLength = bytes.Length;
            await original.WriteAsync(bytes.AsMemory(0, bytes.Length / 2), context.RequestAborted).ConfigureAwait(false);
            await original.FlushAsync(context.RequestAborted).ConfigureAwait(false);
            context.Abort();
            return;
        }

        var spoiled = Spoil(bytes, context.Response.ContentType ?? string.Empty);
        context.Response.ContentLength = spoiled.Length;
        await original.WriteAsync(spoiled, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Buffers the real response and, if it is HTML, makes every <c>href</c> absolute on <paramref name="target"/>.</summary>
    private async Task ForeignLinksAsync(HttpContext context, Uri target)
    {
        var original = context.Response.Body;
        await using var buffer = new MemoryStream();
        context.Response.Body = buffer;
        try
        {
            await next(context).ConfigureAwait(false);
        }
        finally
        {
            context.Response.Body = original;
        }

        var bytes = buffer.ToArray();
        if ((context.Response.ContentType ?? string.Empty).Contains("html", StringComparison.OrdinalIgnoreCase))
        {
            var page = new Uri(target, context.Request.Path.Value!.TrimStart('/') + context.Request.QueryString);
            bytes = Encoding.UTF8.GetBytes(HrefPattern().Replace(Encoding.UTF8.GetString(bytes), m => $"href=\"{new Uri(page, WebUtility.HtmlDecode(m.Groups[1].Value)).AbsoluteUri}\""));
        }

        context.Response.ContentLength = bytes.Length;
        await original.WriteAsync(bytes, context.RequestAborted).ConfigureAwait(false);
    }

    internal static byte[] Spoil(byte[] bytes, string contentType)
    {
        if (contentType.Contains("zip", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("spreadsheet", StringComparison.OrdinalIgnoreCase)
            || contentType.Contains("octet-stream", StringComparison.OrdinalIgnoreCase))
        {
            // Wipe the end-of-central-directory record: every ZIP reader needs it.
            var copy = (byte[])bytes.Clone();
            Array.Clear(copy, Math.Max(0, copy.Length - 22), Math.Min(22, copy.Length));
            return copy;
        }

        var cut = bytes.AsSpan(0, bytes.Length * 3 / 5).ToArray();
        var tail = contentType.Contains("csv", StringComparison.OrdinalIgnoreCase) ? "\"unterminated,\"\n" : contentType.Contains("json", StringComparison.OrdinalIgnoreCase) ? "{\"" : "<</broken&>";
        return [.. cut, .. Encoding.UTF8.GetBytes(tail)];
    }

    [GeneratedRegex("href=\"([^\"]*)\"", RegexOptions.CultureInvariant)]
    private static partial Regex HrefPattern();
}
