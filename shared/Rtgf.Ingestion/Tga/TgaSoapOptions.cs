using Rtgf.Ingestion.Outbound;

namespace Rtgf.Ingestion.Tga;

/// <summary>
/// TGA SOAP settings, bound from configuration (e.g. <c>Upstreams:TgaSoap</c>). <see cref="Outbound"/> carries the base address
/// (e.g. <c>https://ws.sandbox.training.gov.au/Deewr.Tga.Webservices/</c>) and the WS-Security credentials.
/// </summary>
public sealed class TgaSoapOptions
{
    public OutboundOptions Outbound { get; set; } = new() { Name = "tga-soap", RateLimitPermits = 2, MaxConcurrency = 2 };

    /// <summary>Target namespace; versioned services may use another (e.g. <c>http://training.gov.au/services/13/</c>).</summary>
    public string ServiceNamespace { get; set; } = "http://training.gov.au/services/";

    /// <summary>Relative path of the SOAP 1.1 endpoint, e.g. <c>TrainingComponentServiceV12.svc/Training</c>.</summary>
    public string TrainingComponentPath { get; set; } = "TrainingComponentService.svc/Training";

    /// <summary>
    /// Relative path of the organisation service's SOAP 1.1 endpoint. Versioned (<c>OrganisationServiceV{N}.svc/Organisation</c>,
    /// the <c>/Organisation</c> suffix being its basicHttpBinding, SOAP 1.1 like the rest of this client): only the versioned
    /// service returns <c>Rto3</c> with <c>RegistrationStatus</c>; the unversioned 2011 service has no status at all.
    /// </summary>
    public string OrganisationPath { get; set; } = DefaultOrganisationPath;

    public const string DefaultOrganisationPath = "OrganisationServiceV13.svc/Organisation";

    public int PageSize { get; set; } = 100;

    /// <summary>The number of the first page (undocumented upstream: 1 is assumed).</summary>
    public int FirstPageNumber { get; set; } = 1;

    /// <summary>Safety stop for paging loops.</summary>
    public int MaxPages { get; set; } = 10_000;
}
