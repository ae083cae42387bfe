namespace Rtgf.Transparency.Audit;

/// <summary>One problem an audit found: a <see cref="LogAuditCodes"/> code, the tlog-tiles path of the object, and what is wrong.</summary>
public sealed record LogAuditFinding(string Code, string Path, string Message)
{
    /// <summary><c>code path: message</c>, the CLI's one line per finding.</summary>
    public override string ToString() => Code + " " + Path + ": " + Message;
}
