namespace Rtgf.Pipeline.Publishing;

/// <summary>The tables of the registry and publication state (docs/spec/publication.md lists their keys).</summary>
public static class RecordTables
{
    /// <summary>Token by id: partition = token id, row = <c>""</c>.</summary>
    public const string Tokens = "tokens";

    /// <summary>Latest token per subject and family: partition = subject, row = family.</summary>
    public const string TokenLatest = "tokenlatest";

    /// <summary>Current (unrevoked) token per family ordered by subject: partition = family, row = subject.</summary>
    public const string Catalog = "tokencatalog";

    /// <summary>Family summaries: partition <c>family</c>, row = family.</summary>
    public const string Families = "tokenfamilies";

    /// <summary>The registry head (epoch, status-list counters, publication in progress): one row.</summary>
    public const string Head = "registryhead";

    /// <summary>Completed publications: partition <c>publication</c>, row = plan key.</summary>
    public const string Publications = "publications";

    /// <summary>Per-publication progress markers: partition = plan key.</summary>
    public const string Progress = "publicationprogress";

    /// <summary>Log-append journal: partition = plan key, row = batch name.</summary>
    public const string LogJournal = "logjournal";

    /// <summary>Status lists: partition = family, row = list number (6 digits).</summary>
    public const string StatusLists = "statuslists";

    /// <summary>Revocations: partition <c>epoch</c> (row = epoch|token id) and partition <c>token</c> (row = token id).</summary>
    public const string Revocations = "revocations";

    /// <summary>Certified publication keys of the JWKS: partition <c>certified</c>, row = kid.</summary>
    public const string Jwks = "jwks";

    /// <summary>The publication freeze: one row.</summary>
    public const string Freeze = "publicationfreeze";

    /// <summary>Builds handed to the next stage: partition = the queue (<c>rtgf-qa</c>, <c>rtgf-publish</c>), row = build hex.</summary>
    public const string HandOffs = "pipelinehandoffs";

    public static IReadOnlyList<string> All { get; } =
        [Tokens, TokenLatest, Catalog, Families, Head, Publications, Progress, LogJournal, StatusLists, Revocations, Jwks, Freeze, HandOffs];
}
