namespace Rtgf.Register;

/// <summary>Settings of the register (configuration section <c>Register</c>).</summary>
public sealed class RegisterOptions
{
    public const string SectionName = "Register";

    /// <summary>How often, at most, an instance asks for the latest publication (seconds; default 10).</summary>
    public int RefreshSeconds { get; set; } = 10;

    /// <summary>
    /// Generations kept in memory besides the current one (default 1: the one a swap replaced, which open cursors still
    /// page through). Older pinned generations are rebuilt from storage on demand; a national generation is large, so
    /// keep this small.
    /// </summary>
    public int RetainedGenerations { get; set; } = 1;
}
