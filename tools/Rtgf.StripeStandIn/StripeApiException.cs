namespace Rtgf.StripeStandIn;

/// <summary>An answer in Stripe's error shape: <c>{"error":{"type","code","message","param"}}</c> with its status.</summary>
internal sealed class StripeApiException(int status, string type, string? code, string message, string? param = null) : Exception(message)
{
    public int Status { get; } = status;

    public string Type { get; } = type;

    public string? Code { get; } = code;

    public string? Param { get; } = param;

    public string? DeclineCode { get; init; }

    public static StripeApiException Missing(string kind, string id, string? param = null) =>
        new(404, "invalid_request_error", "resource_missing", $"No such {kind}: '{id}'", param);

    public static StripeApiException Invalid(string param, string message, string code = "parameter_invalid_string") =>
        new(400, "invalid_request_error", code, message, param);

    public static StripeApiException MissingParameter(string param) =>
        new(400, "invalid_request_error", "parameter_missing", $"Missing required param: {param}.", param);
}
