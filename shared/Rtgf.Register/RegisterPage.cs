namespace Rtgf.Register;

/// <summary>A page of a register listing: the generation it was cut from, how many items match, and the next page's cursor.</summary>
public sealed record RegisterPage<T>(string BuildId, int Total, IReadOnlyList<T> Items, string? NextCursor);
