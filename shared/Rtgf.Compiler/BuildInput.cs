namespace Rtgf.Compiler;

/// <summary>One snapshot a build read: its source and content digest (<c>sha256:&lt;hex&gt;</c>).</summary>
public sealed record BuildInput(string Source, string Digest, long RecordCount);
