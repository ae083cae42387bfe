using Microsoft.Extensions.Options;
using Rtgf.Functions.Functions;
using HttpJsonOptions = Microsoft.AspNetCore.Http.Json.JsonOptions;

namespace Rtgf.Functions.OpenApi;

/// <summary>
/// The two OpenAPI documents of this app (<see cref="FunctionsOpenApi"/>), written with the JSON options the functions
/// serialise with, once per process: the functions never change while it runs.
/// </summary>
public sealed class OpenApiDocuments(FunctionIndex index, IOptions<HttpJsonOptions> json)
{
    private readonly Lazy<string> _public = new(() => FunctionsOpenApi.Write(index, json.Value.SerializerOptions, operatorDocument: false));
    private readonly Lazy<string> _operator = new(() => FunctionsOpenApi.Write(index, json.Value.SerializerOptions, operatorDocument: true));

    /// <summary>Every public route (all areas but <c>/ops</c>).</summary>
    public string Public => _public.Value;

    /// <summary>The operator routes (<c>/ops</c>) only.</summary>
    public string Operator => _operator.Value;
}
