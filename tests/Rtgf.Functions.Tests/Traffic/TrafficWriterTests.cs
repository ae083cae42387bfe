using Azure.Data.Tables;
using Microsoft.Extensions.Hosting;
using Rtgf.Azure.Traffic;
using Rtgf.Functions.Tests.Support;
using Rtgf.Functions.Traffic;
using Rtgf.Pipeline.Operations;
using Rtgf.Pipeline.Operations.Traffic;
using Rtgf.Testing;

namespace Rtgf.Functions.Tests.Traffic;

/// <summary>
/// The writer and recorder on their own, over Azurite: records that arrive while the host stops are written or counted,
/// a batch whose transactions partly fail counts only the failed rows, and a full channel refuses and counts.
/// </summary>
public sealed class TrafficWriterTests
{
    private static readonly DateOnly Day = new(2026, 12, 4);

    [Fact]
    public async Task RecordsMadeWhileTheHostStops_AreWrittenOrCounted_NoneLost()
    {
        const int late = 300;
        var azurite = await SharedAzurite.GetAsync();
        var prefix = azurite.UniqueName("trw");
        var recorder = new TrafficRecorder(new TrafficOptions { MaxBatch = 50 });
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton(recorder);
        builder.Services.AddSingleton(Eventually.RealTime);
        builder.Services.AddSingleton(new TableTrafficLog(() => azurite.TableService(), prefix, "tests002", shards: 2));
        // Registered before the writer, so (hosts stop in reverse order) it stops after it: like the worker's invocations.
        builder.Services.AddHostedService(_ => new RecordsOnStop(recorder, TrafficJobsTests.Seed(Day, late)));
        builder.Services.AddHostedService<TrafficWriter>();
        using (var host = builder.Build())
        {
            await host.StartAsync();
            await host.StopAsync();
        }

        Assert.Equal(late, recorder.Accepted + recorder.DroppedFull);
        Assert.False(recorder.Record(TrafficJobsTests.Seed(Day, 1)[0])); // the channel is closed: refused, counted
        var rows = new List<TableEntity>();
        await foreach (var row in azurite.TableService().GetTableClient(prefix + OperationsStorage.TrafficTable).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        var written = rows.Count(r => r.GetString("Kind") == "request");
        var failed = rows.Where(r => r.GetString("Kind") == "dropped").Sum(r => r.GetInt64("Failed")!.Value);
        Assert.Equal(late, written);
        Assert.Equal(late, written + recorder.DroppedFull - 1 + failed); // less the one refused above
    }

    [Fact]
    public async Task ABatchWhoseTransactionsPartlyFail_WritesTheOthers_AndReturnsOnlyTheFailedRows()
    {
        var azurite = await SharedAzurite.GetAsync();
        var prefix = azurite.UniqueName("trw");
        var log = new TableTrafficLog(() => azurite.TableService(), prefix, "tests003", shards: 1);
        var good = TrafficJobsTests.Seed(Day, 200).Where(r => r.At.Hour != 5).ToList();
        var bad = TrafficJobsTests.Seed(Day, 200).Where(r => r.At.Hour == 5).Take(3).ToList();
        bad[1] = bad[1] with { Route = new string('r', 40_000) }; // over a string property's 64 KiB: this hour's transaction fails

        var failed = await log.WriteAsync([.. good, .. bad], default);

        var rows = new List<TableEntity>();
        await foreach (var row in azurite.TableService().GetTableClient(prefix + OperationsStorage.TrafficTable).QueryAsync<TableEntity>())
        {
            rows.Add(row);
        }

        Assert.Equal(bad.Count, failed);
        Assert.Equal(good.Count, rows.Count);
        Assert.Equal(good.Count + bad.Count, rows.Count + failed);
    }

    [Fact]
    public void AFullChannel_RefusesTheRecord_AndCountsIt()
    {
        var recorder = new TrafficRecorder(new TrafficOptions { Capacity = 1 });
        var record = TrafficJobsTests.Seed(Day, 1)[0];

        Assert.True(recorder.Record(record));
        Assert.False(recorder.Record(record));
        Assert.Equal(1, recorder.Accepted);
        Assert.Equal(1, recorder.DroppedFull);
    }

    /// <summary>Makes records in its StopAsync, as invocations still running during shutdown do.</summary>
    private sealed class RecordsOnStop(TrafficRecorder recorder, IReadOnlyList<TrafficRecord> records) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            foreach (var record in records)
            {
                recorder.Record(record);
            }

            return Task.CompletedTask;
        }
    }
}
