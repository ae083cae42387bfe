namespace Rtgf.Compiler.Input;

/// <summary>What one snapshot holds, read into the shapes the families use. Lists keep the snapshot's (key) order.</summary>
internal sealed class SourceRecords(string source)
{
    public string Source { get; } = source;

    public List<RtoEntry> Rtos { get; } = [];

    public List<ScopeEntry> Scope { get; } = [];

    public List<ComponentEntry> Components { get; } = [];

    public List<CricosCourseEntry> CricosCourses { get; } = [];

    public List<CricosProviderEntry> CricosProviders { get; } = [];

    public List<SanctionEntry> Sanctions { get; } = [];

    public List<OccupationShortageEntry> OccupationShortages { get; } = [];

    /// <summary>Records of kinds no family reads (tombstones, CRICOS locations, TEQSA providers, vacancy and labour series): checked, then counted.</summary>
    public long Other { get; set; }
}
