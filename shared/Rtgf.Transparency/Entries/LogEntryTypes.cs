namespace Rtgf.Transparency.Entries;

/// <summary>The values of a log entry's <c>type</c> member (docs/spec/log-format.md lists each type's fields).</summary>
public static class LogEntryTypes
{
    public const string Snapshot = "snapshot";
    public const string Token = "token";
    public const string Jwks = "jwks";
    public const string Revocation = "revocation";
    public const string OperatorAction = "operator-action";

    public static IReadOnlyList<string> All { get; } = [Snapshot, Token, Jwks, Revocation, OperatorAction];

    public static bool IsKnown(string type) => All.Contains(type, StringComparer.Ordinal);
}
