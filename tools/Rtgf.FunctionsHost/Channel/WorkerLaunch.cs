namespace Rtgf.FunctionsHost.Channel;

/// <summary>
/// What the host tells a worker about itself in <c>WorkerInitRequest</c> and <c>FunctionsMetadataRequest</c>: the worker
/// directory (where its dll is) and the function app directory (the script root, with host.json).
/// </summary>
public sealed record WorkerLaunch(string WorkerId, string FunctionAppDirectory, string WorkerDirectory);
