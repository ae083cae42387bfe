using System.Net;
using System.Net.Http.Headers;
using System.Xml;
using Rtgf.Ingestion.Outbound;
using Rtgf.Ingestion.Records;

namespace Rtgf.Ingestion.Tga;

/// <summary>
/// Reads training.gov.au's TrainingComponentService and OrganisationService over SOAP 1.1 with a WS-Security UsernameToken.
/// The <see cref="HttpClient"/> must come from <see cref="OutboundHttpClientFactory"/> (its base address is the services' root).
/// Searches page until <c>PageNumber × PageSize ≥ Count</c>.
/// </summary>
public sealed class TgaSoapClient(HttpClient http, TgaSoapOptions options)
{
    private static readonly MediaTypeHeaderValue SoapContentType = new("text/xml") { CharSet = "utf-8" };

    public Task<DateTimeOffset> GetServerTimeAsync(TgaService service, CancellationToken cancellationToken = default) =>
        CallAsync(service, "GetServerTime", Envelope("GetServerTime", hasRequest: false).ToBytes(), TgaSoapParser.ReadServerTime, cancellationToken);

    /// <summary><c>Search</c> for components by code/title text (every page).</summary>
    public Task<IReadOnlyList<TrainingComponentSummary>> SearchComponentsAsync(
        string filter, TrainingComponentTypeFilter types, bool includeDeleted = false, bool includeSuperseded = true, CancellationToken cancellationToken = default) =>
        PageAsync(TgaService.TrainingComponent, "Search", page => Envelope("Search")
            .Element("PageNumber", page).Element("PageSize", options.PageSize)
            .Element("Filter", filter)
            .Element("IncludeDeleted", includeDeleted)
            .Element("IncludeSuperseeded", includeSuperseded) // sic: the WSDL's spelling
            .Element("SearchCode", true)
            .Element("SearchTitle", true)
            .Types("TrainingComponentTypes", types), TgaSoapParser.ReadComponentSummary, cancellationToken);

    /// <summary><c>SearchByModifiedDate</c>: components changed in [start, end] (every page).</summary>
    public Task<IReadOnlyList<TrainingComponentSummary>> SearchComponentsByModifiedDateAsync(
        DateTimeOffset start, DateTimeOffset end, TrainingComponentTypeFilter types, CancellationToken cancellationToken = default) =>
        PageAsync(TgaService.TrainingComponent, "SearchByModifiedDate", page => Envelope("SearchByModifiedDate")
            .Element("PageNumber", page).Element("PageSize", options.PageSize)
            .Element("EndDate", end)
            .Element("StartDate", start)
            .Types("TrainingComponentTypes", types), TgaSoapParser.ReadComponentSummary, cancellationToken);

    /// <summary><c>SearchDeletedByDeletedDate</c> on the component service (array result, paged until a short page).</summary>
    public Task<IReadOnlyList<DeletedEntry>> SearchDeletedComponentsAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default) =>
        DeletedAsync(TgaService.TrainingComponent, start, end, cancellationToken);

    public Task<IReadOnlyList<DeletedEntry>> SearchDeletedOrganisationsAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default) =>
        DeletedAsync(TgaService.Organisation, start, end, cancellationToken);

    /// <summary><c>GetDetails</c> for one component, with classifications (a qualification's ANZSCO occupation), releases, unit grid, mappings and usage recommendations.</summary>
    public Task<TrainingComponentRecord> GetComponentDetailsAsync(string code, CancellationToken cancellationToken = default)
    {
        var envelope = Envelope("GetDetails")
            .Element("Code", code)
            .Open("InformationRequest")
            .Element("ShowClassifications", true)
            .Element("ShowCompletionMapping", false)
            .Element("ShowComponents", false)
            .Element("ShowContacts", false)
            .Element("ShowCurrencyPeriods", true)
            .Element("ShowDataManagers", false)
            .Element("ShowFiles", false)
            .Element("ShowMappingInformation", true)
            .Element("ShowRecognitionManagers", false)
            .Element("ShowReleases", true)
            .Element("ShowUnitGrid", true)
            .Element("ShowUsageRecommendation", true)
            .Close();
        return CallAsync(TgaService.TrainingComponent, "GetDetails", envelope.ToBytes(), TgaSoapParser.ReadTrainingComponent, cancellationToken);
    }

    /// <summary>Organisation <c>Search</c> by name/code text (every page).</summary>
    public Task<IReadOnlyList<OrganisationSummary>> SearchOrganisationsAsync(string filter, CancellationToken cancellationToken = default) =>
        PageAsync(TgaService.Organisation, "Search", page => Envelope("Search")
            .Element("PageNumber", page).Element("PageSize", options.PageSize)
            .Element("CurrentNamesOnly", false)
            .Element("ExcludeNotRtos", false)
            .Element("ExcludeRtoWithoutActiveRegistration", false)
            .Element("Filter", filter)
            .Element("IncludeCode", true), TgaSoapParser.ReadOrganisationSummary, cancellationToken);

    public Task<IReadOnlyList<OrganisationSummary>> SearchOrganisationsByModifiedDateAsync(DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken = default) =>
        PageAsync(TgaService.Organisation, "SearchByModifiedDate", page => Envelope("SearchByModifiedDate")
            .Element("PageNumber", page).Element("PageSize", options.PageSize)
            .Element("EndDate", end)
            .Element("StartDate", start), TgaSoapParser.ReadOrganisationSummary, cancellationToken);

    /// <summary>
    /// Organisation <c>GetDetails</c>: the RTO record (with its registration status from the versioned service, current
    /// contacts and locations) and its explicit scope rows.
    /// </summary>
    public Task<OrganisationDetails> GetOrganisationDetailsAsync(string code, CancellationToken cancellationToken = default)
    {
        var envelope = Envelope("GetDetails")
            .Element("Code", code)
            .Open("InformationRequested")
            .Element("ShowCodes", true)
            .Element("ShowContacts", true)
            .Element("ShowDataManagers", false)
            .Element("ShowExplicitScope", true)
            .Element("ShowImplicitScope", false)
            .Element("ShowLocations", true)
            .Element("ShowRegistrationManagers", true)
            .Element("ShowRegistrationPeriods", true)
            .Element("ShowResponsibleLegalPersons", true)
            .Element("ShowRestrictions", false)
            .Element("ShowRtoClassifications", false)
            .Element("ShowRtoDeliveryNotification", false)
            .Element("ShowTradingNames", true)
            .Element("ShowUrls", false)
            .Close();
        return CallAsync(TgaService.Organisation, "GetDetails", envelope.ToBytes(), TgaSoapParser.ReadOrganisation, cancellationToken);
    }

    private async Task<IReadOnlyList<T>> PageAsync<T>(
        TgaService service, string operation, Func<int, SoapEnvelope> envelope, Func<XmlReader, T> readItem, CancellationToken cancellationToken)
    {
        var items = new List<T>();
        for (var page = options.FirstPageNumber; page < options.FirstPageNumber + options.MaxPages; page++)
        {
            var result = await CallAsync(service, operation, envelope(page).ToBytes(), r => TgaSoapParser.ReadSearchPage(r, readItem), cancellationToken);
            items.AddRange(result.Items);
            var pagesRead = page - options.FirstPageNumber + 1;
            if (result.Items.Count == 0 || (long)pagesRead * options.PageSize >= result.Count)
            {
                return items;
            }
        }

        throw new UpstreamFormatException($"TGA {operation}: still more results after {options.MaxPages} pages; the Count is implausible.");
    }

    private async Task<IReadOnlyList<DeletedEntry>> DeletedAsync(TgaService service, DateTimeOffset start, DateTimeOffset end, CancellationToken cancellationToken)
    {
        const string Operation = "SearchDeletedByDeletedDate";
        var items = new List<DeletedEntry>();
        for (var page = options.FirstPageNumber; page < options.FirstPageNumber + options.MaxPages; page++)
        {
            var envelope = Envelope(Operation).Element("PageNumber", page).Element("PageSize", options.PageSize).Element("EndDate", end).Element("StartDate", start);
            var result = await CallAsync(service, Operation, envelope.ToBytes(), r => TgaSoapParser.ReadArray(r, TgaSoapParser.ReadDeleted), cancellationToken);
            items.AddRange(result);
            if (result.Count < options.PageSize)
            {
                return items;
            }
        }

        throw new UpstreamFormatException($"TGA {Operation}: still more results after {options.MaxPages} pages.");
    }

    private SoapEnvelope Envelope(string operation, bool hasRequest = true)
    {
        var credentials = options.Outbound.Credentials ?? throw new InvalidOperationException("TGA SOAP needs credentials (Outbound:Credentials in configuration).");
        return SoapEnvelope.Start(options.ServiceNamespace, operation, credentials.UserName, credentials.Password, hasRequest);
    }

    private async Task<T> CallAsync<T>(TgaService service, string operation, byte[] body, Func<XmlReader, T> readResult, CancellationToken cancellationToken)
    {
        var (path, contract) = service == TgaService.TrainingComponent
            ? (options.TrainingComponentPath, "ITrainingComponentService")
            : (options.OrganisationPath, "IOrganisationService");
        using var request = new HttpRequestMessage(HttpMethod.Post, path)
        {
            Content = new ByteArrayContent(body) { Headers = { ContentType = SoapContentType } },
        }.WithOperation($"{contract}/{operation}", retrySafe: true);
        request.Headers.TryAddWithoutValidation("SOAPAction", $"\"{options.ServiceNamespace}{contract}/{operation}\"");
        // A SOAP fault comes back as HTTP 500 with an XML body: permanent, not a reason to retry or open the circuit.
        request.Options.Set(OutboundRequest.PermanentFailure, IsSoapFault);

        using var response = await http.SendAsync(request, cancellationToken);
        if (!response.IsSuccessStatusCode && !IsSoapFault(response))
        {
            throw new HttpRequestException($"TGA {operation} answered HTTP {(int)response.StatusCode}.", null, response.StatusCode);
        }

        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        return TgaSoapParser.ParseEnvelope(stream, operation, readResult);
    }

    private static bool IsSoapFault(HttpResponseMessage response) =>
        response.StatusCode == HttpStatusCode.InternalServerError
        && response.Content.Headers.ContentType?.MediaType is "text/xml" or "application/soap+xml";
}
