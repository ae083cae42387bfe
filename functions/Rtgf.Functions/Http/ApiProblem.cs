using Microsoft.AspNetCore.Http.HttpResults;

namespace Rtgf.Functions.Http;

/// <summary>RFC 9457 answers with the app's stable <c>type</c> URIs (<see cref="ProblemTypes"/>, listed in docs/spec/api.md).</summary>
internal static class ApiProblem
{
    public static ProblemHttpResult InvalidRequest(string detail) =>
        Create(StatusCodes.Status400BadRequest, "The request is invalid", ProblemTypes.InvalidRequest, detail);

    public static ProblemHttpResult InvalidJson(string detail) =>
        Create(StatusCodes.Status400BadRequest, "The request body is not valid JSON of the expected shape", ProblemTypes.InvalidJson, detail);

    public static ProblemHttpResult UnsupportedMediaType(string detail) =>
        Create(StatusCodes.Status415UnsupportedMediaType, "The request body must be application/json", ProblemTypes.UnsupportedMediaType, detail);

    public static ProblemHttpResult PayloadTooLarge(string detail) =>
        Create(StatusCodes.Status413PayloadTooLarge, "The request body is too large", ProblemTypes.PayloadTooLarge, detail);

    public static ProblemHttpResult BatchTooLarge(string detail) =>
        Create(StatusCodes.Status413PayloadTooLarge, "The batch holds too many items", ProblemTypes.BatchTooLarge, detail);

    public static ProblemHttpResult NotFound(string detail) =>
        Create(StatusCodes.Status404NotFound, "Not found", ProblemTypes.NotFound, detail);

    public static ProblemHttpResult OutOfRange(string detail) =>
        Create(StatusCodes.Status400BadRequest, "Outside the published log", ProblemTypes.OutOfRange, detail);

    public static ProblemHttpResult PublicationFrozen(string detail) =>
        Create(StatusCodes.Status409Conflict, "Publication is frozen", ProblemTypes.PublicationFrozen, detail);

    public static ProblemHttpResult NotFrozen(string detail) =>
        Create(StatusCodes.Status409Conflict, "Publication is not frozen", ProblemTypes.NotFrozen, detail);

    public static ProblemHttpResult NotReady(string detail) =>
        Create(StatusCodes.Status503ServiceUnavailable, "Not ready", ProblemTypes.NotReady, detail);

    public static ProblemHttpResult CursorExpired(string detail) =>
        Create(StatusCodes.Status410Gone, "The cursor has expired", ProblemTypes.CursorExpired, detail);

    private static ProblemHttpResult Create(int status, string title, string type, string detail) =>
        TypedResults.Problem(detail: detail, statusCode: status, title: title, type: type);
}
