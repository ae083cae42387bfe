using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Rtgf.Pipeline.Ingest;
using Rtgf.Pipeline.Tests.Ingest.Support;
using Rtgf.Testing;

namespace Rtgf.Pipeline.Tests.Ingest;

/// <summary>
/// A tampered upstream pointing a feed at another host (a register page linking off-site, a download redirected away):
/// the run fails with the refusal as its error, the last list stays, and the other host is never asked for anything.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TamperedUpstreamTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private IngestHarness _h = null!;
    private WebApplication _other = null!;
    private Uri _otherAddress = null!;
    private int _otherRequests;

    public async Task InitializeAsync()
    {
        _h = await IngestHarness.StartAsync(azurite);
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(o => o.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _other = builder.Build();
        _other.Run(_ =>
        {
            Interlocked.Increment(ref _otherRequests);
            return Task.CompletedTask;
        });
        await _other.StartAsync();
        _otherAddress = new Uri(_other.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single() + "/");
    }

    public async Task DisposeAsync()
    {
        await _other.DisposeAsync();
        await _h.DisposeAsync();
    }

    [Theory]
    [InlineData(IngestSources.Teqsa, "/national-register", "foreign-links")]
    [InlineData(IngestSources.Cricos, "/data", "redirect")]
    [InlineData(IngestSources.Sanctions, "/sites", "redirect")]
    public async Task FeedPointedAtAnotherHost_FailsTheRunClearly_AndNothingIsRequestedOfThatHost(string source, string routePrefix, string mode)
    {
        var worker = source switch { IngestSources.Teqsa => _h.Teqsa, IngestSources.Cricos => _h.Cricos, _ => _h.Sanctions };
        _h.NextRun();
        var good = await worker.RunAsync(IngestTrigger.Timer);
        await _h.PostAdminAsync("_sim/faults", new JsonObject { ["routePrefix"] = routePrefix, ["mode"] = mode, ["target"] = _otherAddress.AbsoluteUri });

        _h.NextRun();
        var tampered = await worker.RunAsync(IngestTrigger.Timer);

        Assert.Equal(0, Volatile.Read(ref _otherRequests));
        Assert.Equal(IngestRunStatus.Failed, tampered.Run.Status);
        Assert.StartsWith("fetch: UpstreamOriginException: ", tampered.Run.Error, StringComparison.Ordinal);
        Assert.Contains($"is not on the configured upstream {_h.Server.BaseAddress.GetLeftPart(UriPartial.Authority)}; it was not fetched", tampered.Run.Error, StringComparison.Ordinal);
        Assert.Contains(_otherAddress.Authority, tampered.Run.Error, StringComparison.Ordinal);
        Assert.Equal(good.Compile!.SnapshotDigest, (await _h.States.GetAsync(source)).SnapshotDigest);
    }
}
