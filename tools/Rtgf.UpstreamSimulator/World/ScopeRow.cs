namespace Rtgf.UpstreamSimulator.World;

/// <summary>
/// One row of an organisation's scope of registration. A compact value (indexes, not strings) because the national
/// corpus holds half a million of them.
/// </summary>
/// <param name="Rto">Index into <see cref="SimulatedWorld.Rtos"/>.</param>
/// <param name="Component">Index into <see cref="SimulatedWorld.Components"/>.</param>
/// <param name="Extent">Extent code: 01 deliver and assess, 02 assess only, 03 deliver only.</param>
/// <param name="Start">First day on scope.</param>
/// <param name="End">Last day on scope; null while current.</param>
internal readonly record struct ScopeRow(int Rto, int Component, byte Extent, DateOnly Start, DateOnly? End);
