using System.Globalization;
using Rtgf.UpstreamSimulator;

// The standalone simulator: `dotnet run --project tools/Rtgf.UpstreamSimulator -- [--port N] [--corpus small|national]
// [--seed N] [--clock 2025-07-01T00:00:00Z] [--tga-username U] [--tga-password P]`. Credentials may also come from
// RTGF_SIM_TGA_USERNAME / RTGF_SIM_TGA_PASSWORD. Prints the base URL, then serves until Ctrl-C.
try
{
    var options = ParseArguments(args);
    await using var server = await SimulatorServer.StartAsync(options).ConfigureAwait(false);
    Console.WriteLine(server.BaseAddress.ToString());
    using var stop = new CancellationTokenSource();
    Console.CancelKeyPress += (_, e) =>
    {
        e.Cancel = true;
        stop.Cancel();
    };
    try
    {
        await Task.Delay(Timeout.InfiniteTimeSpan, TimeProvider.System, stop.Token).ConfigureAwait(false);
    }
    catch (OperationCanceledException)
    {
        // Ctrl-C: dispose the server and exit normally.
    }

    return 0;
}
catch (SimulatorException e)
{
    await Console.Error.WriteLineAsync("rtgf-upstream-simulator: " + e.Message).ConfigureAwait(false);
    return 2;
}

static SimulatorOptions ParseArguments(string[] args)
{
    var values = new Dictionary<string, string>(StringComparer.Ordinal);
    for (var i = 0; i < args.Length; i++)
    {
        if (args[i] is not ("--port" or "--corpus" or "--seed" or "--clock" or "--tga-username" or "--tga-password"))
        {
            throw new SimulatorException($"Unknown argument '{args[i]}': use --port, --corpus, --seed, --clock, --tga-username, --tga-password.");
        }

        if (i + 1 >= args.Length)
        {
            throw new SimulatorException($"{args[i]} needs a value.");
        }

        values[args[i]] = args[++i];
    }

    var corpus = values.GetValueOrDefault("--corpus", "small") switch
    {
        "small" => SimulatorCorpus.Small,
        "national" => SimulatorCorpus.National,
        var other => throw new SimulatorException($"--corpus must be small or national, not '{other}'."),
    };
    var port = values.TryGetValue("--port", out var portText)
        ? int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var p) ? p : throw new SimulatorException($"--port must be a number, not '{portText}'.")
        : 0;
    var seed = values.TryGetValue("--seed", out var seedText)
        ? ulong.TryParse(seedText, NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : throw new SimulatorException($"--seed must be a non-negative integer, not '{seedText}'.")
        : 1UL;
    var defaults = new SimulatorOptions { TimeProvider = TimeProvider.System };
    var clock = values.TryGetValue("--clock", out var clockText)
        ? DateTimeOffset.TryParse(clockText, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var c) ? c : throw new SimulatorException($"--clock must be an ISO 8601 time, not '{clockText}'.")
        : defaults.Clock;
    return new SimulatorOptions
    {
        Corpus = corpus,
        Port = port,
        Seed = seed,
        Clock = clock,
        TimeProvider = TimeProvider.System,
        TgaUsername = values.GetValueOrDefault("--tga-username") ?? Environment.GetEnvironmentVariable("RTGF_SIM_TGA_USERNAME") ?? defaults.TgaUsername,
        TgaPassword = values.GetValueOrDefault("--tga-password") ?? Environment.GetEnvironmentVariable("RTGF_SIM_TGA_PASSWORD") ?? defaults.TgaPassword,
    };
}
