using System.CommandLine;
using System.Globalization;
using Rtgf.Core.Signing;
using Rtgf.Core.Tokens;

namespace Rtgf.Cli.Commands;

/// <summary>
/// <c>rtgf verify-token &lt;token-or-@file&gt; --jwks &lt;file-or-URL&gt; [--at &lt;RFC 3339&gt;]</c>: exit 0 and
/// <c>valid: kid=… fam=… sub=…</c>, or exit 1 and one <c>invalid: &lt;code&gt;: &lt;message&gt;</c> line per reason;
/// exit 2 when the token or key set cannot be read.
/// </summary>
internal static class VerifyTokenCommand
{
    public static Command Create(CliConsole console)
    {
        var token = new Argument<string>("token") { Description = "The compact JWS, or @path to read it from a file." };
        var jwks = new Option<string>("--jwks") { Description = "The JWK Set: a file path or an http(s) URL.", Required = true };
        var at = new Option<string?>("--at") { Description = "Verify as of this instant (RFC 3339) instead of now." };
        var command = new Command("verify-token", "Verify an ES256 reference token against a JWK Set.") { token, jwks, at };
        command.SetAction(parse => CliApp.GuardAsync(
            console, () => RunAsync(console, parse.GetValue(token)!, parse.GetValue(jwks)!, parse.GetValue(at))));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console, string tokenArgument, string jwksLocation, string? at)
    {
        var token = tokenArgument.StartsWith('@') ? (await File.ReadAllTextAsync(tokenArgument[1..])).Trim() : tokenArgument.Trim();
        var keySet = JsonWebKeySet.Parse(await ReadKeySetAsync(console, jwksLocation));
        var clock = at is null ? CliClock.System : new FixedTimeProvider(ParseInstant(at));
        using var verifier = new Es256TokenVerifier(keySet, clock);

        var verdict = verifier.Verify(token);
        if (verdict.IsValid)
        {
            await console.Out.WriteLineAsync($"valid: kid={verdict.KeyId} fam={verdict.Family} sub={verdict.Subject}");
            return CliApp.Valid;
        }

        foreach (var failure in verdict.Failures)
        {
            await console.Out.WriteLineAsync($"invalid: {failure.CodeName}: {failure.Message}");
        }

        return CliApp.Invalid;
    }

    private static async Task<byte[]> ReadKeySetAsync(CliConsole console, string location)
    {
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps))
        {
            using var client = console.CreateHttpClient();
            using var response = await client.GetAsync(uri);
            if (!response.IsSuccessStatusCode)
            {
                throw new InvalidDataException($"fetching the JWK Set from {uri} failed: HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            return await response.Content.ReadAsByteArrayAsync();
        }

        return await File.ReadAllBytesAsync(location);
    }

    private static DateTimeOffset ParseInstant(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var instant)
            ? instant
            : throw new FormatException($"--at '{text}' is not an RFC 3339 instant.");
}
