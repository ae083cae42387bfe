using System.CommandLine;

namespace Rtgf.Cli.Commands;

// Placeholder: replaced by the implementation.
internal static class CanonCommand
{
    public static Command Create(CliConsole console)
    {
        var command = new Command("canon", "not implemented yet");
        command.SetAction(_ => CliApp.GuardAsync(console, () => throw new NotSupportedException("'canon' is not implemented yet.")));
        return command;
    }
}
