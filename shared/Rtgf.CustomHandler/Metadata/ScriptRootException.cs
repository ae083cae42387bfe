namespace Rtgf.CustomHandler.Metadata;

/// <summary>A script root (host.json and function folders) the host would refuse; the message says why.</summary>
public sealed class ScriptRootException(string message) : Exception(message);
