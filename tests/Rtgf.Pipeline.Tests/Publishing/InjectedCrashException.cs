namespace Rtgf.Pipeline.Tests.Publishing;

/// <summary>Thrown by the crashing store wrappers in place of a write, as if the process died before it.</summary>
internal sealed class InjectedCrashException(int write) : Exception($"Injected crash before write #{write}.");
