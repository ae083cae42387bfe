using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Rtgf.Tooling;

/// <summary>Asks a child process to stop (SIGTERM on Unix) before it is killed.</summary>
internal static partial class ProcessSignals
{
    private const int SigTerm = 15;
    private const int SigInt = 2;

    /// <summary>Sends SIGTERM (Unix); returns false where signals are unavailable (Windows).</summary>
    public static bool TryTerminate(Process process) => Send(process, SigTerm);

    /// <summary>Sends SIGINT (Unix), like Ctrl-C in a terminal.</summary>
    public static bool TryInterrupt(Process process) => Send(process, SigInt);

    /// <summary>Sends SIGINT (Unix) to the process group <paramref name="process"/> leads.</summary>
    public static bool TryInterruptGroup(Process process) => Send(process, SigInt, group: true);

    private static bool Send(Process process, int signal, bool group = false)
    {
        if (OperatingSystem.IsWindows())
        {
            return false;
        }

        try
        {
            return !process.HasExited && Kill(group ? -process.Id : process.Id, signal) == 0;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [LibraryImport("libc", EntryPoint = "kill", SetLastError = true)]
    private static partial int Kill(int pid, int signal);
}
