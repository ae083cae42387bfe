using Rtgf.Compiler.Input;
using Rtgf.Compiler.Policy;
using Rtgf.Core.Encoding;
using Rtgf.Ingestion.Snapshots;

namespace Rtgf.Compiler.Families;

/// <summary>
/// <c>occupation-shortage</c>: one token per occupation on the Occupation Shortage List (per classification: ANZSCO 2022
/// and OSCA 2024 codes are separate subjects). The facts state the occupation, its national rating and its rating in
/// every state and territory (null where the list gives none), and the list they come from (snapshot digest and list
/// year). The list is the provenance member: a new list that rates the occupation the same replaces the token without
/// revoking it; a changed rating (or title, or skill level) revokes it.
/// </summary>
internal sealed class OccupationShortageBuilder : SortedFamilyBuilder<OccupationShortageEntry>
{
    private readonly string _listDigest;

    public OccupationShortageBuilder(FamilyPolicy policy, SourceRecords osl, SnapshotManifest list)
        : base(osl.Source, osl.OccupationShortages.Select(o => (policy.Subject.Format(o.Classification, o.Code), o)))
    {
        _listDigest = list.Digest;
    }

    /// <summary>The list read: a newer list with the same ratings replaces the token without revoking it.</summary>
    public override string? ProvenanceMember => "list";

    protected override void WriteFacts(OccupationShortageEntry item, CanonicalJsonWriter writer)
    {
        writer.WriteStartObject();
        writer.WriteString("classification", item.Classification);
        writer.WriteString("code", item.Code);
        writer.WritePropertyName("list");
        writer.WriteStartObject();
        writer.WriteString("digest", _listDigest);
        writer.WriteNumber("year", item.ListYear);
        writer.WriteEndObject();
        writer.WriteString("national", item.National);
        writer.WritePropertyName("skill_level");
        if (item.SkillLevel is { } level)
        {
            writer.WriteNumber(level);
        }
        else
        {
            writer.WriteNull();
        }

        writer.WritePropertyName("states");
        writer.WriteStartObject();
        foreach (var (state, rating) in item.States)
        {
            WriteNullable(writer, state, rating);
        }

        writer.WriteEndObject();
        writer.WriteString("title", item.Title);
        writer.WriteEndObject();
    }
}
