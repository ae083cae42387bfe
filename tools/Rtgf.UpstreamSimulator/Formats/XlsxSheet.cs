namespace Rtgf.UpstreamSimulator.Formats;

/// <summary>One worksheet for <see cref="XlsxWriter"/>: its name, rows (cells as strings, numbers or null) and merged ranges in A1 form.</summary>
internal sealed record XlsxSheet(string Name, IEnumerable<IReadOnlyList<object?>> Rows, IReadOnlyList<string>? Merges = null);
