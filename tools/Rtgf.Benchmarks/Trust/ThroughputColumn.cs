using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace Rtgf.Benchmarks.Trust;

/// <summary>MB/s (10^6 bytes) from the mean time per operation and the bytes one operation processes.</summary>
internal sealed class ThroughputColumn(Func<BenchmarkCase, long> bytesPerOperation) : IColumn
{
    public string Id => nameof(ThroughputColumn);

    public string ColumnName => "MB/s";

    public bool AlwaysShow => true;

    public ColumnCategory Category => ColumnCategory.Custom;

    public int PriorityInCategory => 0;

    public bool IsNumeric => true;

    public UnitType UnitType => UnitType.Dimensionless;

    public string Legend => "Input megabytes (10^6 bytes) processed per second";

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

    public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
    {
        var report = summary[benchmarkCase];
        if (report?.ResultStatistics is not { } statistics || statistics.Mean <= 0)
        {
            return "-";
        }

        var megabytesPerSecond = bytesPerOperation(benchmarkCase) / statistics.Mean * 1e9 / 1e6;
        return megabytesPerSecond.ToString("N1", System.Globalization.CultureInfo.InvariantCulture);
    }

    public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

    public bool IsAvailable(Summary summary) => true;
}
