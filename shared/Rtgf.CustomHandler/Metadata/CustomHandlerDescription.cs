namespace Rtgf.CustomHandler.Metadata;

/// <summary>How the host starts the handler (<c>customHandler.description</c>).</summary>
public sealed record CustomHandlerDescription(string DefaultExecutablePath, string? DefaultWorkerPath, string WorkingDirectory, IReadOnlyList<string> Arguments);
