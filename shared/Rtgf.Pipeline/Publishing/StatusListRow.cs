namespace Rtgf.Pipeline.Publishing;

/// <summary>
/// One family status list as last published: its bits (<c>lst</c>), the signed status-list token, the plan that published it,
/// the slots it changed, the revocation log entry recording it and that entry's index (-1 until logged).
/// </summary>
internal sealed record StatusListRow(
    string Family,
    int Number,
    string Uri,
    long Epoch,
    string Lst,
    string Jwt,
    DateTimeOffset IssuedAt,
    string PlanKey,
    string Entry,
    long LogIndex);
