namespace Rtgf.Pipeline.Publishing;

/// <summary>A progress marker of a publication step.</summary>
internal sealed record ProgressRow(string Step);
