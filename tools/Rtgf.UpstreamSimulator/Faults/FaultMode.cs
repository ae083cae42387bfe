namespace Rtgf.UpstreamSimulator.Faults;

/// <summary>Ways an upstream misbehaves on request.</summary>
public enum FaultMode
{
    /// <summary>Answer normally after a delay on the injected clock.</summary>
    Slow,

    /// <summary>429 Too Many Requests with a Retry-After header.</summary>
    TooManyRequests,

    /// <summary>500 Internal Server Error.</summary>
    ServerError,

    /// <summary>503 Service Unavailable with a Retry-After header.</summary>
    Unavailable,

    /// <summary>Content-Length promises the whole body but the connection closes halfway.</summary>
    Truncated,

    /// <summary>A complete response whose body does not parse (XML cut and garbled, ZIP/XLSX with a broken directory, JSON cut).</summary>
    Malformed,

    /// <summary>A well-formed body whose schema drifted: renamed or missing elements/columns.</summary>
    SchemaDrift,

    /// <summary>307 Temporary Redirect to the same path on the rule's target (method and body kept, as 307 requires).</summary>
    Redirect,

    /// <summary>A tampered page: every link of an HTML answer made absolute on the rule's target host.</summary>
    ForeignLinks,
}
