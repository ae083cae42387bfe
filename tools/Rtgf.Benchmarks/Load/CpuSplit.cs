using System.Diagnostics;

namespace Rtgf.Benchmarks.Load;

/// <summary>
/// CPU time (user + system) used by a few processes between construction and <see cref="Used"/>: with no profiler on the
/// machine, this says which process a request's cost lands in.
/// </summary>
internal sealed class CpuSplit
{
    private readonly (string Name, int ProcessId)[] _processes;
    private readonly TimeSpan[] _start;

    public CpuSplit(params (string Name, int ProcessId)[] processes)
    {
        _processes = processes;
        _start = [.. processes.Select(p => Of(p.ProcessId))];
    }

    public IReadOnlyList<string> Names => [.. _processes.Select(p => p.Name)];

    public IReadOnlyList<(string Name, TimeSpan Cpu)> Used() =>
        [.. _processes.Select((p, i) => (p.Name, Of(p.ProcessId) - _start[i]))];

    public static TimeSpan Of(int processId)
    {
        using var process = Process.GetProcessById(processId);
        return process.TotalProcessorTime;
    }
}
