using System.IO.Compression;
using System.Runtime.InteropServices;
using Microsoft.AspNetCore.Mvc.Testing;
using Rtgf.CustomHandler.Catalog;
using Rtgf.CustomHandler.Metadata;
using Rtgf.Tooling;

namespace Rtgf.Functions.Tests;

/// <summary>
/// `dotnet publish` produces exactly what `func start` and a Flex Consumption zip deployment need: host.json,
/// one function.json folder per function, and a self-contained handler that is executable, also inside the zip.
/// </summary>
public sealed class ScriptRootPublishTests(WebApplicationFactory<Program> app) : IClassFixture<WebApplicationFactory<Program>>, IDisposable
{
    private readonly string _output = Directory.CreateTempSubdirectory("rtgf-publish-").FullName;

    [Fact]
    public async Task Publish_GivesARunnableSelfContainedScriptRootAndZip()
    {
        var root = Path.Combine(_output, "root");
        var zip = Path.Combine(_output, "app.zip");
        await ChildProcess.RunAsync(
            new ChildProcessStartInfo("dotnet publish", "dotnet")
            {
                Arguments =
                [
                    "publish", Path.Combine(RepositoryLayout.FindRoot(), "functions", "Rtgf.Functions", "Rtgf.Functions.csproj"),
                    "-c", "Release", "-r", RuntimeInformation.RuntimeIdentifier, "-o", root,
                    "-p:RtgfPackage=true", $"-p:RtgfPackagePath={zip}", "--disable-build-servers", "--nologo",
                ],
                WorkingDirectory = RepositoryLayout.FindRoot(),
            }).WaitAsync(TimeSpan.FromMinutes(8));

        var catalog = app.Services.GetRequiredService<FunctionCatalog>();
        var scriptRoot = ScriptRoot.Load(root);
        Assert.Equal(catalog.Select(f => f.Name), scriptRoot.Functions.Select(f => f.Name));
        Assert.Contains("includedFrameworks", await File.ReadAllTextAsync(Path.Combine(root, "Rtgf.Functions.runtimeconfig.json")), StringComparison.Ordinal);
        if (!OperatingSystem.IsWindows())
        {
            Assert.True(File.GetUnixFileMode(Path.Combine(root, "Rtgf.Functions")).HasFlag(UnixFileMode.UserExecute));
        }
        Assert.False(File.Exists(Path.Combine(root, "local.settings.json")));

        using (var archive = ZipFile.OpenRead(zip))
        {
            var handler = archive.GetEntry("Rtgf.Functions") ?? throw new InvalidOperationException("the zip has no handler at its root");
            Assert.Equal(Convert.ToInt32("755", 8), (handler.ExternalAttributes >> 16) & Convert.ToInt32("777", 8));
            Assert.NotNull(archive.GetEntry("host.json"));
            Assert.All(catalog, f => Assert.NotNull(archive.GetEntry($"{f.Name}/function.json")));
        }

        var port = LoopbackPorts.Free();
        await using var started = HandlerProcessTests.Start(root, new Dictionary<string, string?> { ["FUNCTIONS_CUSTOMHANDLER_PORT"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture) });
        Assert.Equal("ready", await HandlerProcessTests.ReadyAsync(started, port));
    }

    public void Dispose() => Directory.Delete(_output, recursive: true);
}
