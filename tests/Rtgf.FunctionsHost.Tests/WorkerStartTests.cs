using Rtgf.FunctionsHost.Channel;

namespace Rtgf.FunctionsHost.Tests;

public sealed class WorkerStartTests : IDisposable
{
    private readonly DirectoryInfo _app = Directory.CreateTempSubdirectory("rtgf-worker-start-");

    [Fact]
    public async Task A_worker_that_exits_before_its_handshake_is_a_clear_handshake_error()
    {
        // dotnet exits at once when the worker dll does not exist: the process ends without ever opening a stream.
        await File.WriteAllTextAsync(
            Path.Combine(_app.FullName, WorkerConfig.FileName),
            """{"description":{"defaultExecutablePath":"dotnet","defaultWorkerPath":"Missing.Worker.dll","workerIndexing":"true"}}""");
        await using var server = await FunctionsHostServer.StartAsync();

        var failure = await Assert.ThrowsAsync<WorkerHandshakeException>(() =>
            WorkerProcess.StartAsync(server, _app.FullName, new Dictionary<string, string?>(), _ => { }, output: null, TimeSpan.FromSeconds(60)));

        Assert.Contains("exited", failure.Message, StringComparison.Ordinal);
        Assert.Contains("before its functions were loaded", failure.Message, StringComparison.Ordinal);
    }

    public void Dispose() => _app.Delete(recursive: true);
}
