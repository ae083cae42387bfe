namespace Rtgf.LocalRunner;

/// <summary>The runner cannot go on; the message is the one line the user sees.</summary>
internal sealed class RunnerException(string message, Exception? inner = null) : Exception(message, inner);
