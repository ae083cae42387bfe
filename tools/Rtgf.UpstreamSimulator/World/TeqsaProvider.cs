namespace Rtgf.UpstreamSimulator.World;

/// <summary>A provider on TEQSA's National Register of higher education providers.</summary>
internal sealed record TeqsaProvider(
    string ProviderId,
    string Slug,
    string Name,
    string Abn,
    string TradingName,
    string Category,
    string SelfAccrediting,
    string Status,
    DateOnly RegistrationExpiry,
    string Website,
    Address HeadOffice,
    IReadOnlyList<TeqsaCourse> Courses);
