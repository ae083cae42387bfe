using System.CommandLine;
using Rtgf.Cli.Commands;

namespace Rtgf.Cli;

/// <summary>
/// The command tree. Exit codes: 0 valid, 1 checked and invalid (or revoked), 2 bad usage or input that could not be read,
/// 3 valid as far as checked but the revocation status could not be checked.
/// </summary>
internal static class CliApp
{
    public const int Valid = 0;
    public const int Invalid = 1;
    public const int Failed = 2;
    public const int Unchecked = 3;

    public static async Task<int> RunAsync(string[] args, CliConsole console)
    {
        var root = new RootCommand("rtgf: the RTGF operator CLI")
        {
            CanonCommand.Create(console),
            VerifyTokenCommand.Create(console),
            LogCommands.Create(console),
            BackupCommands.Create(console),
            ArchiveCommands.Create(console),
        };

        // No response-file expansion: `@file` is this CLI's syntax for "read the value from a file" (--entry @entry.json).
        var parse = root.Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (parse.Errors.Count > 0)
        {
            await console.Error.WriteLineAsync("rtgf: " + parse.Errors[0].Message);
            return Failed;
        }

        return await parse.InvokeAsync(new InvocationConfiguration { Output = console.Out, Error = console.Error });
    }

    /// <summary>Runs a command body; anything it throws becomes one readable line and exit code 2, never a stack trace.</summary>
    public static async Task<int> GuardAsync(CliConsole console, Func<Task<int>> body)
    {
        try
        {
            return await body();
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            await console.Error.WriteLineAsync("rtgf: " + ex.Message.ReplaceLineEndings(" "));
            return Failed;
        }
    }
}
