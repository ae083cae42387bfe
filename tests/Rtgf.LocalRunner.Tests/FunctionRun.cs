using System.Net;
using System.Text.Json.Nodes;

namespace Rtgf.LocalRunner.Tests;

/// <summary>The answer to <c>POST /admin/functions/{name}?wait=true</c>: the HTTP status and the body (outcome, durationMs, error; or a problem).</summary>
public sealed record FunctionRun(HttpStatusCode Status, JsonObject Body)
{
    public bool Succeeded => Status == HttpStatusCode.OK && (string?)Body["outcome"] == "succeeded";

    /// <summary>The invocation's error, or the problem's title when the function could not be run at all.</summary>
    public string? Error => (string?)Body["error"] ?? (string?)Body["title"];

    public override string ToString() => $"{(int)Status} {Body.ToJsonString()}";
}
