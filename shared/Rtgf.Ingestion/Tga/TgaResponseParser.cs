using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Tga;

/// <summary>Parses whole TGA SOAP responses already on hand (files, captures, benchmarks) the way <see cref="TgaSoapClient"/> does.</summary>
public static class TgaResponseParser
{
    public static TrainingComponentRecord ParseComponentDetails(Stream xml) =>
        TgaSoapParser.ParseEnvelope(xml, "GetDetails", TgaSoapParser.ReadTrainingComponent);

    public static OrganisationDetails ParseOrganisationDetails(Stream xml) =>
        TgaSoapParser.ParseEnvelope(xml, "GetDetails", TgaSoapParser.ReadOrganisation);

    /// <summary>A component search page (<c>Search</c> or <c>SearchByModifiedDate</c>).</summary>
    public static TgaSearchPage<TrainingComponentSummary> ParseComponentSearch(Stream xml, string operation) =>
        TgaSoapParser.ParseEnvelope(xml, operation, r => TgaSoapParser.ReadSearchPage(r, TgaSoapParser.ReadComponentSummary));

    public static TgaSearchPage<OrganisationSummary> ParseOrganisationSearch(Stream xml, string operation) =>
        TgaSoapParser.ParseEnvelope(xml, operation, r => TgaSoapParser.ReadSearchPage(r, TgaSoapParser.ReadOrganisationSummary));

    public static IReadOnlyList<DeletedEntry> ParseDeleted(Stream xml) =>
        TgaSoapParser.ParseEnvelope(xml, "SearchDeletedByDeletedDate", r => TgaSoapParser.ReadArray(r, TgaSoapParser.ReadDeleted));
}
