namespace Rtgf.Functions.Http;

/// <summary>
/// Documents a query value an HTTP function's handler reads from <c>request.Query</c> itself (with its own validation,
/// so bad input stays a 400 Problem rather than a binding failure). Read by the OpenAPI generator, never by binding.
/// </summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true, Inherited = false)]
public sealed class QueryParameterAttribute(string name, string type, string description) : Attribute
{
    public string Name { get; } = name;

    /// <summary>The JSON Schema type of the value as the handler accepts it: <c>integer</c> or <c>string</c>.</summary>
    public string Type { get; } = type;

    public string Description { get; } = description;

    public bool Required { get; init; }
}
