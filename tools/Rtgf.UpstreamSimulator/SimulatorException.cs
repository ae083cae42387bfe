namespace Rtgf.UpstreamSimulator;

/// <summary>A request the simulator cannot honour (unknown code, bad change list, …); the message says why.</summary>
public sealed class SimulatorException : Exception
{
    public SimulatorException()
    {
    }

    public SimulatorException(string message)
        : base(message)
    {
    }

    public SimulatorException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
