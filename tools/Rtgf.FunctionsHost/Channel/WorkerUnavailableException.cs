namespace Rtgf.FunctionsHost.Channel;

/// <summary>The worker's stream is closed (the process ended or hung up): nothing more can be sent to it.</summary>
public sealed class WorkerUnavailableException(string message) : Exception(message);
