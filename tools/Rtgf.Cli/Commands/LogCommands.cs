using System.CommandLine;

namespace Rtgf.Cli.Commands;

// Placeholder: replaced by the implementation.
internal static class LogCommands
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("log", "not implemented yet");
        command.SetAction(_ => CliApp.GuardAsync(console, () => throw new NotSupportedException("'log' is not implemented yet.")));
        return command;
    }
}
