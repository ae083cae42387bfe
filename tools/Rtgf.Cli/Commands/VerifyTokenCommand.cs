using System.CommandLine;
using System.Globalization;
using System.Text;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Cli.Commands;

/// <summary>
/// <c>rtgf verify-token &lt;token-or-@file&gt; --jwks &lt;file-or-https-URL&gt; [--at &lt;RFC 3339&gt;] [--offline]</c>. A
/// token whose signature and claims verify has its status list fetched (https only) and checked: exit 0 and
/// <c>valid: kid=… fam=… sub=…</c>; exit 1 and <c>revoked: …</c> (status 1) or <c>suspended: …</c> (status 2) when the
/// list marks it; exit 3 and
/// <c>unchecked: … status not checked: &lt;why&gt;</c> when the list could not be fetched or verified, or with
/// <c>--offline</c>. Exit 1 and one <c>invalid: &lt;code&gt;: &lt;message&gt;</c> line per reason for a bad token; exit 2 when
/// the token or key set cannot be read. Everything printed from the token has its control characters escaped.
/// </summary>
internal static class VerifyTokenCommand
{
    public static Command Create(CliConsole console)
    {
        var token = new Argument<string>("token") { Description = "The compact JWS, or @path to read it from a file." };
        var jwks = new Option<string>("--jwks") { Description = "The JWK Set: a file path or an https URL.", Required = true };
        var at = new Option<string?>("--at") { Description = "Verify as of this instant (RFC 3339) instead of now (the status list is always the current one)." };
        var offline = new Option<bool>("--offline") { Description = "Do not fetch the status list (the result says the status was not checked: exit 3)." };
        var command = new Command("verify-token", "Verify an ES256 reference token against a JWK Set, and its status list.") { token, jwks, at, offline };
        command.SetAction(parse => CliApp.GuardAsync(
            console, () => RunAsync(console, parse.GetValue(token)!, parse.GetValue(jwks)!, parse.GetValue(at), parse.GetValue(offline))));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string tokenArgument, string jwksLocation, string? at, bool offline)
    {
        var token = tokenArgument.StartsWith('@') ? (await File.ReadAllTextAsync(tokenArgument[1..])).Trim() : tokenArgument.Trim();
        var keySet = JsonWebKeySet.Parse(await ReadKeySetAsync(console, jwksLocation));
        using var verifier = new Es256TokenVerifier(keySet, CliClock.System);

        var verdict = verifier.Verify(token, at is null ? CliClock.System.GetUtcNow() : ParseInstant(at));
        if (!verdict.IsValid)
        {
            foreach (var failure in verdict.Failures)
            {
                await console.Out.WriteLineAsync($"invalid: {failure.CodeName}: {TerminalText.Escape(failure.Message)}");
            }

            return CliApp.Invalid;
        }

        var who = TerminalText.Escape($"kid={verdict.KeyId} fam={verdict.Family} sub={verdict.Subject}");
        var reference = StatusListReference.TryRead(verdict.Payload);
        if (reference is null)
        {
            return await UncheckedAsync(console, who, "the token has no status list reference");
        }

        if (offline)
        {
            return await UncheckedAsync(console, who, "--offline");
        }

        byte status;
        try
        {
            var list = await FetchStatusListAsync(console, reference.Uri, keySet);
            if (reference.Index >= list.Capacity)
            {
                return await UncheckedAsync(console, who, $"index {reference.Index} is beyond the status list's {list.Capacity} entries");
            }

            status = list[(int)reference.Index];
        }
        catch (Exception ex) when (ex is HttpRequestException or FormatException or InvalidDataException or TaskCanceledException)
        {
            return await UncheckedAsync(console, who, ex.Message);
        }

        if (status != StatusList.Valid)
        {
            // Status 2 (suspended) may be lifted, 1 (revoked) may not; both mean "do not rely on it now": exit 1.
            var word = status == StatusList.Suspended ? "suspended" : "revoked";
            await console.Out.WriteLineAsync($"{word}: {who} (status {status.ToString(CultureInfo.InvariantCulture)} at index {reference.Index.ToString(CultureInfo.InvariantCulture)} of {TerminalText.Escape(reference.Uri)})");
            return CliApp.Invalid;
        }

        await console.Out.WriteLineAsync($"valid: {who}");
        return CliApp.Valid;
    }

    private static async Task<int> UncheckedAsync(CliConsole console, string who, string why)
    {
        await console.Out.WriteLineAsync($"unchecked: {who}: status not checked: {TerminalText.Escape(why)}");
        return CliApp.Unchecked;
    }

    private static async Task<StatusList> FetchStatusListAsync(CliConsole console, string location, JsonWebKeySet keySet)
    {
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            throw new FormatException($"the status list URI '{location}' is not https");
        }

        using var client = console.CreateHttpClient();
        using var response = await client.GetAsync(uri);
        if (!response.IsSuccessStatusCode)
        {
            throw new InvalidDataException($"fetching the status list {uri} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        }

        var jwt = await response.Content.ReadAsStringAsync();
        return StatusListToken.Verify(jwt, location, keySet, CliClock.System.GetUtcNow());
    }

    private static async Task<byte[]> ReadKeySetAsync(CliConsole console, string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && uri.Scheme == Uri.UriSchemeHttps)
        {
            using var client = console.CreateHttpClient();
            using var response = await client.GetAsync(uri);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidDataException($"fetching the JWK Set from {uri} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            return await response.Content.ReadAsByteArrayAsync();
        }

        if (location.Contains("://", StringComparison.Ordinal))
        {
            throw new InvalidDataException($"--jwks must be an https URL or a file; '{TerminalText.Escape(location)}' is neither (keys fetched over cleartext could be swapped).");
        }

        return await File.ReadAllBytesAsync(location);
    }

    private static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw new FormatException($"--at '{TerminalText.Escape(text)}' is not an RFC 3339 instant.");
}

/// <summary>Text from a token made safe for a terminal: control, C1 and bidi-override characters become <c>\uXXXX</c>.</summary>
internal static class TerminalText
{
    public static string Escape(string? text)
    {
        if (string.IsNullOrEmpty(text) || !text.Any(IsUnsafe))
        {
            return text ?? string.Empty;
        }

        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            _ = IsUnsafe(c) ? escaped.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}") : escaped.Append(c);
        }

        return escaped.ToString();
    }

    private static bool IsUnsafe(char c) =>
        char.IsControl(c) || c is >= '\u202A' and <= '\u202E' or >= '\u2066' and <= '\u2069' or '\u200E' or '\u200F' or '\u061C';
}
