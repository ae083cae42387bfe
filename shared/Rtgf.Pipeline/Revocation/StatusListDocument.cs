namespace Rtgf.Pipeline.Revocation;

/// <summary>
/// A published status list token (<c>typ: statuslist+jwt</c>) for one family's list: its id (the path under
/// <c>/revocations/status-lists/</c>, e.g. <c>rto-registration/0</c>), the signed JWT, the epoch it carries and a strong ETag.
/// </summary>
public sealed record StatusListDocument(string ListId, string Uri, string Jwt, long Epoch, DateTimeOffset IssuedAt, string ETag);
