namespace Rtgf.Cli;

/// <summary>The streams a command reads and writes, so tests run commands in process.</summary>
internal sealed record CliConsole(TextReader In, TextWriter Out, TextWriter Error, HttpMessageHandler? Http = null)
{
    public static CliConsole System { get; } = new(Console.In, Console.Out, Console.Error);

    public HttpClient CreateHttpClient() =>
        Http is null ? new HttpClient { Timeout = TimeSpan.FromSeconds(30) } : new HttpClient(Http, disposeHandler: false);
}
