namespace Rtgf.Compiler.Policy;

/// <summary>
/// How <c>sanctions-screen</c> matches: the rule id written into every screen's facts, and the words dropped from names
/// before comparison (legal-form words such as PTY and LTD, so "Acme Pty Ltd" and "ACME LIMITED" compare equal).
/// </summary>
public sealed record ScreeningPolicy(string Rule, IReadOnlyList<string> IgnoredWords);
