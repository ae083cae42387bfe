namespace Rtgf.Transparency.Audit;

/// <summary>
/// The stable codes of <see cref="LogAuditFinding"/> (listed in docs/spec/log-format.md). Each names one fact about one object;
/// when two objects disagree, the finding goes to the one a third object contradicts (the level above, or the checkpoint).
/// </summary>
public static class LogAuditCodes
{
    /// <summary>Tiles or entry bundles are stored, but no checkpoint.</summary>
    public const string CheckpointMissing = "checkpoint-missing";

    /// <summary>The checkpoint is not a signed note with a checkpoint body; nothing else can be checked.</summary>
    public const string CheckpointMalformed = "checkpoint-malformed";

    /// <summary>The checkpoint has no valid signature by the given key(s).</summary>
    public const string CheckpointSignature = "checkpoint-signature";

    /// <summary>The checkpoint names another origin than the log's.</summary>
    public const string CheckpointOrigin = "checkpoint-origin";

    /// <summary>The checkpoint's root is neither the root the stored tiles give nor the one recomputed from below them.</summary>
    public const string RootMismatch = "root-mismatch";

    /// <summary>A tile the checkpoint's tree size needs is not stored.</summary>
    public const string TileMissing = "tile-missing";

    /// <summary>A tile has the wrong number of bytes for its width.</summary>
    public const string TileWidth = "tile-width";

    /// <summary>A tile's hashes differ from those recomputed from the level below, and the level above sides with the recomputation.</summary>
    public const string TileHashMismatch = "tile-hash-mismatch";

    /// <summary>A full tile and everything below it agree with each other, but not with its hash in the level above, which is confirmed.</summary>
    public const string SubtreeMismatch = "subtree-mismatch";

    /// <summary>An entry bundle the tree size needs is not stored.</summary>
    public const string EntryBundleMissing = "entry-bundle-missing";

    /// <summary>An entry bundle does not decode (a length prefix runs past its end).</summary>
    public const string EntryBundleMalformed = "entry-bundle-malformed";

    /// <summary>An entry bundle decodes to another number of entries than its width.</summary>
    public const string EntryBundleCount = "entry-bundle-count";

    /// <summary>Entries whose leaf hashes differ from the level-0 tile, which the level above (or the checkpoint) confirms.</summary>
    public const string EntryLeafMismatch = "entry-leaf-mismatch";

    /// <summary>A stored partial tile or bundle is not the prefix of the current object at its index: a served object changed.</summary>
    public const string ObjectChanged = "object-changed";

    /// <summary>The previous checkpoint given to the audit does not verify.</summary>
    public const string PreviousInvalid = "previous-invalid";

    /// <summary>The current checkpoint does not extend the previous one (smaller, a fork, or a consistency proof that fails).</summary>
    public const string PreviousInconsistent = "previous-inconsistent";
}
