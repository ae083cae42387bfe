using Microsoft.AspNetCore.Mvc;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Options;
using Rtgf.Functions.Http;
using Rtgf.Register;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.Endpoints;

/// <summary>The public catalogue API over the register (<see cref="PublicApiEndpoints"/>, docs/spec/public-api.md).</summary>
public sealed class PublicApiFunctions(RegisterGenerations generations, IOptions<HttpJsonOptions> json)
{
    [Function(nameof(ListRtos))]
    [Tags("public-api"), EndpointSummary("List RTOs, ordered by code, filtered by status, state, registration manager or a component on current scope")]
    [QueryParameter("status", "string", "Registration status (ignoring case), e.g. Current")]
    [QueryParameter("state", "string", "State or territory code of a location or postal address, e.g. NSW")]
    [QueryParameter("registrationManager", "string", "Registration manager, e.g. ASQA")]
    [QueryParameter("component", "string", "A component code on the RTO's current scope")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<RtoSummary>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListRtos(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/rtos")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListRtosAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetRto))]
    [Tags("public-api"), EndpointSummary("An RTO: registration, trading names, contacts, addresses, sanctions screening and token links")]
    [ProducesResponseType<Rto>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> GetRto(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/rtos/{code}")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.GetRtoAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListRtoScope))]
    [Tags("public-api"), EndpointSummary("An RTO's scope of registration: current and historical rows, each with its token link")]
    [QueryParameter("current", "string", "true: only current rows; false: only historical or refused rows")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<ScopeRow>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListRtoScope(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/rtos/{code}/scope")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListRtoScopeAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListComponents))]
    [Tags("public-api"), EndpointSummary("List training components, ordered by code, filtered by type, status or leading to an occupation in shortage")]
    [QueryParameter("type", "string", "Component type (ignoring case), e.g. Qualification, Unit, SkillSet, AccreditedCourse")]
    [QueryParameter("status", "string", "Usage status (ignoring case), e.g. Current, Superseded")]
    [QueryParameter("shortageIn", "string", "A state or territory code, or national: only components leading to an occupation in shortage (S, R or M) there")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<ComponentSummary>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListComponents(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/components")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListComponentsAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetComponent))]
    [Tags("public-api"), EndpointSummary("A training component: releases, usage recommendations, supersession chain both ways and its token link")]
    [ProducesResponseType<ComponentDetail>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> GetComponent(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/components/{code}")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.GetComponentAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListComponentProviders))]
    [Tags("public-api"), EndpointSummary("The RTOs with a component on their current scope, filtered by state")]
    [QueryParameter("state", "string", "State or territory code of the RTO's locations, e.g. VIC")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<ComponentProvider>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListComponentProviders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/components/{code}/providers")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListComponentProvidersAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListCricosProviders))]
    [Tags("public-api"), EndpointSummary("List CRICOS providers, ordered by provider code")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<CricosProvider>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListCricosProviders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/cricos/providers")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListCricosProvidersAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetCricosProvider))]
    [Tags("public-api"), EndpointSummary("A CRICOS provider with its locations and courses")]
    [ProducesResponseType<CricosProviderDetail>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> GetCricosProvider(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/cricos/providers/{code}")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.GetCricosProviderAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetCricosCourse))]
    [Tags("public-api"), EndpointSummary("A CRICOS course and its token link")]
    [ProducesResponseType<CricosCourse>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> GetCricosCourse(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/cricos/courses/{code}")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.GetCricosCourseAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListTeqsaProviders))]
    [Tags("public-api"), EndpointSummary("List TEQSA providers, ordered by provider id")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<TeqsaProviderSummary>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListTeqsaProviders(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/teqsa/providers")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListTeqsaProvidersAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetTeqsaProvider))]
    [Tags("public-api"), EndpointSummary("A TEQSA provider with its courses")]
    [ProducesResponseType<TeqsaProvider>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> GetTeqsaProvider(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/teqsa/providers/{code}")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.GetTeqsaProviderAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(SearchRegister))]
    [Tags("public-api"), EndpointSummary("Search RTOs and components (codes, titles, names, ABN), ranked, with filters, facets and cursor paging")]
    [QueryParameter("q", "string", "The text to search for (1 to 200 characters)", Required = true)]
    [QueryParameter("kind", "string", "rto or component")]
    [QueryParameter("status", "string", "Status (ignoring case)")]
    [QueryParameter("type", "string", "Component type")]
    [QueryParameter("state", "string", "State or territory code")]
    [QueryParameter("registrationManager", "string", "Registration manager")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<SearchPage>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> SearchRegister(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/search")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.SearchAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListOccupations))]
    [Tags("public-api"), EndpointSummary("List Occupation Shortage List occupations, ordered by code, filtered by rating in a state or nationally, or skill level")]
    [QueryParameter("classification", "string", "anzsco-2022 (the default) or osca-2024")]
    [QueryParameter("state", "string", "State or territory code (NSW, VIC, QLD, SA, WA, TAS, NT, ACT): the rating filter applies there (shortage when no rating is given)")]
    [QueryParameter("rating", "string", "S, R, M, NS, or shortage (any of S, R, M); the national rating when no state is given")]
    [QueryParameter("skillLevel", "integer", "ANZSCO skill level, 1 to 5")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<OccupationSummary>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListOccupations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/occupations")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListOccupationsAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetOccupation))]
    [Tags("public-api"), EndpointSummary("An occupation: shortage ratings and token link, its unit group's vacancy trend in Australia and each state, the number of qualifications leading to it")]
    [QueryParameter("classification", "string", "anzsco-2022 (the default) or osca-2024")]
    [ProducesResponseType<Occupation>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> GetOccupation(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/occupations/{code}")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.GetOccupationAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetOccupationVacancies))]
    [Tags("public-api"), EndpointSummary("The Internet Vacancy Index series of an occupation's ANZSCO unit group in a state or Australia, month by month")]
    [QueryParameter("classification", "string", "anzsco-2022 (the default) or osca-2024")]
    [QueryParameter("state", "string", "AUST (the default) or a state or territory code")]
    [ProducesResponseType<VacancySeries>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> GetOccupationVacancies(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/occupations/{code}/vacancies")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.GetOccupationVacanciesAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListOccupationQualifications))]
    [Tags("public-api"), EndpointSummary("The training components leading to an occupation (their TGA ANZSCO classification), ordered by code")]
    [QueryParameter("classification", "string", "anzsco-2022 (the default) or osca-2024")]
    [QueryParameter("current", "string", "true: only components of status Current; false: only the others")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<ComponentSummary>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListOccupationQualifications(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/occupations/{code}/qualifications")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListOccupationQualificationsAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListComponentOccupations))]
    [Tags("public-api"), EndpointSummary("The occupations a training component leads to, each with its ratings, token link and vacancy trend")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<Occupation>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListComponentOccupations(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/components/{code}/occupations")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListComponentOccupationsAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(ListLabourSeries))]
    [Tags("public-api"), EndpointSummary("List ABS labour-force and population series, ordered by dataflow and series key, filtered by state or measure")]
    [QueryParameter("state", "string", "State or territory code, or AUS")]
    [QueryParameter("measure", "string", "The series' measure (ignoring case)")]
    [QueryParameter("cursor", "string", "The nextCursor of the previous page (pinned to the generation that cut it)")]
    [QueryParameter("limit", "integer", "Items per page, 1 to 500 (default 50)")]
    [ProducesResponseType<PublicApiPage<LabourSeriesSummary>>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status410Gone, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> ListLabourSeries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/labour-series")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.ListLabourSeriesAsync(request, generations, json.Value.SerializerOptions, cancellationToken);

    [Function(nameof(GetLabourSeries))]
    [Tags("public-api"), EndpointSummary("An ABS series with its observations; the dataflow as ABS.LF.1.0.0 (SDMX's commas as dots)")]
    [ProducesResponseType<LabourSeries>(StatusCodes.Status200OK, "application/json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status400BadRequest, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status404NotFound, "application/problem+json")]
    [ProducesResponseType<ProblemDetails>(StatusCodes.Status503ServiceUnavailable, "application/problem+json")]
    public Task<IResult> GetLabourSeries(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", "head", Route = "v1/labour-series/{dataflow}/{seriesKey}")] HttpRequest request, CancellationToken cancellationToken) =>
        PublicApiEndpoints.GetLabourSeriesAsync(request, generations, json.Value.SerializerOptions, cancellationToken);
}
