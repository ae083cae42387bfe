namespace Rtgf.Pipeline.Ingest;

/// <summary>What a TGA batch's codes are (the <c>kind</c> of a <see cref="TgaIngestBatch"/>).</summary>
public static class TgaBatchKind
{
    public const string Components = "components";
    public const string Organisations = "organisations";
    public const string DeletedComponents = "deleted-components";
    public const string DeletedOrganisations = "deleted-organisations";

    public static bool IsKnown(string? kind) => kind is Components or Organisations or DeletedComponents or DeletedOrganisations;
}
