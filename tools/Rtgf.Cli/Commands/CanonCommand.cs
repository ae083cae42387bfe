using System.CommandLine;
using System.Text;
using Rtgf.Core.Encoding;

namespace Rtgf.Cli.Commands;

/// <summary><c>rtgf canon</c>: JSON on stdin, its RFC 8785 canonical form on stdout with no trailing newline.</summary>
internal static class CanonCommand
{
    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public static Command Create(CliConsole console)
    {
        var command = new Command("canon", "Read JSON from stdin and write its RFC 8785 canonical form to stdout (no trailing newline).");
        command.SetAction(_ => CliApp.GuardAsync(console, () => RunAsync(console)));
        return command;
    }

    private static async Task<int> RunAsync(CliConsole console)
    {
        var text = await console.In.ReadToEndAsync();
        byte[] utf8;
        try
        {
            utf8 = StrictUtf8.GetBytes(text);
        }
        catch (EncoderFallbackException)
        {
            throw new InvalidDataException("the input contains a lone UTF-16 surrogate, which has no UTF-8 form.");
        }

        var canonical = CanonicalJson.Canonicalize(utf8);
        await console.Out.WriteAsync(Encoding.UTF8.GetString(canonical));
        await console.Out.FlushAsync();
        return CliApp.Valid;
    }
}
