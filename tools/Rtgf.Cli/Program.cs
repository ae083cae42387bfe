using Rtgf.Cli;

return await CliApp.RunAsync(args, CliConsole.System);
