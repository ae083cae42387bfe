namespace Rtgf.Core.Tokens;

/// <summary>The IETF Token Status List reference: <c>"status":{"status_list":{"idx":…,"uri":…}}</c>.</summary>
public sealed record StatusListReference(long Index, string Uri);
