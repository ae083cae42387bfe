namespace Rtgf.FunctionsHost.Channel;

/// <summary>The worker refused a step of the start-up handshake (init, metadata or a function load).</summary>
public sealed class WorkerHandshakeException(string message) : Exception(message);
