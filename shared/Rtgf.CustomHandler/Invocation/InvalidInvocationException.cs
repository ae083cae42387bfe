namespace Rtgf.CustomHandler.Invocation;

/// <summary>The invocation request or its trigger data cannot be read; the handler answers 400.</summary>
public sealed class InvalidInvocationException(string message, Exception? inner = null) : Exception(message, inner);
