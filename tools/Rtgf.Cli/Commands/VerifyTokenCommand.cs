using System.CommandLine;

namespace Rtgf.Cli.Commands;

// Placeholder: replaced by the implementation.
internal static class VerifyTokenCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("verify-token", "not implemented yet");
        command.SetAction(_ => CliApp.GuardAsync(console, () => throw new NotSupportedException("'verify-token' is not implemented yet.")));
        return command;
    }
}
