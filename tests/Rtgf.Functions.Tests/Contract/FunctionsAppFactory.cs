using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.TestHost;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Contract;

/// <summary>The real function app, in process, with the contract functions added and its logs recorded.</summary>
public sealed class FunctionsAppFactory : WebApplicationFactory<Program>
{
    public ContractProbe Probe { get; } = new();

    public RecordingLoggerProvider Logs { get; } = new();

    protected override void ConfigureWebHost(IWebHostBuilder builder) =>
        builder.ConfigureTestServices(services =>
        {
            services.AddSingleton(Probe);
            services.AddSingleton<ILoggerProvider>(Logs);
            ContractFunctions.Add(services, Probe);
        });
}
